import { HttpResponse } from 'msw';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import type { FaultKind } from './types.ts';

/**
 * Read-after-write lag: for lagMs after an order is accepted, querying it by orderId or
 * origClientOrderId answers -2013 "Order does not exist.", as Binance can right after create. A
 * bot that takes that as "never placed" and re-sends duplicates the order.
 */
export const restVisibilityLag: FaultKind<{ durationMs: number; lagMs: number }> = {
  name: 'rest-visibility-lag',
  description: 'GET /fapi/v1/order answers -2013 for lagMs after each order is accepted, for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('rest-visibility-lag', raw, ['durationMs', 'lagMs']);
    return {
      durationMs: msParam('rest-visibility-lag', raw, 'durationMs', { min: 1 }),
      lagMs: msParam('rest-visibility-lag', raw, 'lagMs', { min: 1, max: 600_000 }),
    };
  },
  async inject(ctx, target, p) {
    const acceptedAt = new Map<string, number>();
    const unsubscribe = ctx.venue.onEvent('order.accepted', (e) => {
      if (e.instance !== target.instance) return;
      const now = performance.now();
      acceptedAt.set(`id:${e.order.orderId}`, now);
      acceptedAt.set(`cid:${e.order.clientOrderId}`, now);
    });
    const active = overrideRest(ctx, target, 'GET', '/fapi/v1/order', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const key = q.get('orderId') ? `id:${q.get('orderId')}` : `cid:${q.get('origClientOrderId')}`;
      const at = acceptedAt.get(key);
      if (at === undefined || performance.now() - at > p.lagMs) return undefined;
      return HttpResponse.json({ code: -2013, msg: 'Order does not exist.' }, { status: 400 });
    });
    return {
      async heal() {
        unsubscribe();
        await active.heal();
      },
    };
  },
};
