import { ConfigError } from '../core/errors.ts';
import { type Placement, placeOnAccount } from './account-order.ts';
import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface PredecessorOrdersParams {
  symbol: string;
  side: 'BUY' | 'SELL';
  /** GTC LIMIT price, far enough from the market that the orders rest. */
  price: string;
  qty: string;
  /** How many orders (1..10). */
  count: number;
}

/** `fault predecessor.orders`: what was left working, per order. */
export interface PredecessorOrdersData extends Record<string, unknown> {
  id: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  price: string;
  qty: string;
  orders: ({ clientOrderId: string } & Placement)[];
}

/**
 * Orders an earlier process of the bot left working: `count` resting GTC LIMIT orders on the
 * instance's account under the bot's own clientOrderId prefix (manifest orderIdPrefix,
 * `<prefix>p<k>-<occurrence>`), placed with its key straight on the venue. Unlike foreign-order
 * these are the bot's orders by its own naming: its halt, cleanup and reconciliation own them. The
 * venue records each as `venue order.new`; the fault records `fault predecessor.orders`. Fails
 * when the target declares no orderIdPrefix (scenarios needing it require capability
 * order-id-prefix) or when the venue refuses an order.
 */
export const predecessorOrders: FaultKind<PredecessorOrdersParams> = {
  name: 'predecessor-orders',
  description: 'Leave count resting LIMIT orders under the bot’s own clientOrderId prefix, as an earlier process of it would',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('predecessor-orders', raw, ['symbol', 'side', 'price', 'qty', 'count']);
    const symbol = raw.symbol ?? 'BTCUSDT';
    if (typeof symbol !== 'string' || symbol === '') throw new ConfigError('fault predecessor-orders: symbol must be a non-empty string');
    const side = raw.side ?? 'BUY';
    if (side !== 'BUY' && side !== 'SELL') throw new ConfigError('fault predecessor-orders: side must be BUY or SELL');
    for (const k of ['price', 'qty'] as const) {
      const v = raw[k];
      if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0)
        throw new ConfigError(`fault predecessor-orders: ${k} must be a positive decimal string such as "0.010"`);
    }
    const count = raw.count ?? 3;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10)
      throw new ConfigError('fault predecessor-orders: count must be a whole number in [1, 10]');
    return { symbol, side, price: raw.price as string, qty: raw.qty as string, count };
  },
  async inject(ctx, target, p) {
    const prefix = ctx.target(target.instance).orderIdPrefix;
    if (prefix === undefined) throw new Error(`predecessor-orders: target of ${target.instance} declares no orderIdPrefix (capability order-id-prefix)`);
    const data: PredecessorOrdersData = { id: target.occurrence, symbol: p.symbol, side: p.side, price: p.price, qty: p.qty, orders: [] };
    for (let k = 1; k <= p.count; k++) {
      const clientOrderId = `${prefix}p${k}-${target.occurrence}`;
      const placed = await placeOnAccount(ctx, target.instance, { symbol: p.symbol, side: p.side, type: 'LIMIT', price: p.price, qty: p.qty, clientOrderId });
      data.orders.push({ clientOrderId, ...placed });
    }
    ctx.recorder.record('fault', 'predecessor.orders', data, target.instance);
    const refused = data.orders.filter((o) => o.orderId === undefined);
    if (refused.length > 0)
      throw new Error(`predecessor-orders: the venue refused ${refused.map((o) => `${o.clientOrderId} (${o.status} ${o.error ?? ''})`).join(', ')}`);
    return { heal: async () => {} };
  },
};
