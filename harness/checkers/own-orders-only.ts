import type { ForeignOrderData } from '../faults/foreign-order.ts';
import type { HistoryEvent, HttpRequestData } from '../history/types.ts';
import type { OrderCancelData } from '../venue/engine/order-events.ts';
import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const CANCEL_ALL_FALLBACK = '000_2ae31cbfe79758d1.txt#E-M12';

/**
 * The bot cancels only orders it placed. Orders placed on its account by someone else (the
 * operator's protective orders: `fault foreign.order`, fault kind foreign-order) must survive
 * every path of the bot: startup cleanup, reconciliation, a cancel-all fallback, shutdown.
 * 000_2ae31cbfe79758d1.txt#E-M12: the reconciler's cancel fell back to cancel_all_orders for the
 * symbol, removing the operator's orders; the acceptance is targeted cancels only.
 *
 * Violation: a `venue order.cancel` with reason 'user' (a cancel request made with the account's
 * key: only the bot holds it besides the fault, which never cancels) of a foreign order. Evidence:
 * the cancel, the foreign order, and the instance's DELETE request that caused it when the venue
 * recorded one at or after the cancel. Venue-side ends (reason 'expired') are not the bot's doing.
 *
 * Unknown when no foreign order was placed (the fault did not take effect), or when the bot ran no
 * cancel path after it: it neither sent a DELETE request nor exited (its shutdown cleanup) after
 * the order was placed, so nothing could have touched it.
 */
export const ownOrdersOnly: Checker = {
  name: 'own-orders-only',
  description: 'The bot never cancels an order it did not place (an operator’s order on the same account survives startup, cancel-all and shutdown)',
  findings: [CANCEL_ALL_FALLBACK],
  requires: ['rest-orders'],
  check(history): CheckResult {
    const foreign = new Map<string, { e: HistoryEvent; d: ForeignOrderData }>();
    const key = (instance: string | undefined, orderId: number) => `${instance ?? ''}#${orderId}`;
    const stats = { foreignOrders: 0, foreignCancelled: 0, foreignFilled: 0, botDeletes: 0, exitsAfter: 0 };
    const cancels: { e: HistoryEvent; d: OrderCancelData }[] = [];
    const deletes: { e: HistoryEvent; d: HttpRequestData }[] = [];
    let firstPlaced = Number.POSITIVE_INFINITY;
    const placedAt = new Map<string, number>();
    for (const e of history) {
      if (e.src === 'fault' && e.type === 'foreign.order') {
        const d = e.data as unknown as ForeignOrderData;
        if (typeof d.orderId !== 'number') continue;
        foreign.set(key(e.instance, d.orderId), { e, d });
        stats.foreignOrders++;
        firstPlaced = Math.min(firstPlaced, e.t);
        if (e.instance !== undefined && !placedAt.has(e.instance)) placedAt.set(e.instance, e.t);
      } else if (e.src === 'venue' && e.type === 'order.cancel') {
        cancels.push({ e, d: e.data as unknown as OrderCancelData });
      } else if (e.src === 'venue' && e.type === 'order.fill') {
        if (foreign.has(key(e.instance, (e.data as { orderId?: number }).orderId ?? -1))) stats.foreignFilled++;
      } else if (e.src === 'venue' && e.type === 'http.request' && (e.data as HttpRequestData).method === 'DELETE') {
        if (e.t >= firstPlaced) {
          deletes.push({ e, d: e.data as unknown as HttpRequestData });
          stats.botDeletes++;
        }
      } else if (e.src === 'target' && e.type === 'target.exit' && e.instance !== undefined) {
        const at = placedAt.get(e.instance);
        if (at !== undefined && e.t >= at) stats.exitsAfter++;
      }
    }
    if (foreign.size === 0) return unknown('no foreign order was placed on the account (no fault foreign.order with an orderId): nothing to judge', stats);

    const violations: Violation[] = [];
    for (const c of cancels) {
      const f = foreign.get(key(c.e.instance, c.d.orderId));
      if (!f || c.d.reason !== 'user') continue;
      stats.foreignCancelled++;
      // 000_2ae31cbfe79758d1.txt#E-M12: the bot cancelled an order it did not place.
      const cause = deletes.find((r) => r.e.instance === c.e.instance && r.e.t >= c.e.t);
      const how = cause ? ` with ${cause.d.method} ${cause.d.path}${/allOpenOrders/i.test(cause.d.path) ? ' (cancel-all for the symbol)' : ''}` : '';
      violations.push({
        t: c.e.t,
        ...(c.e.instance !== undefined ? { instance: c.e.instance } : {}),
        message: `${c.e.instance ?? 'the bot'} cancelled ${f.d.clientOrderId} (orderId ${c.d.orderId}, ${f.d.side} ${f.d.qty} @ ${f.d.price}), an order it did not place${how} [${CANCEL_ALL_FALLBACK}]`,
        evidence: [c.e.seq, f.e.seq, ...(cause ? [cause.e.seq] : [])],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.botDeletes === 0 && stats.exitsAfter === 0)
      return unknown('the bot ran no cancel path after the foreign order was placed (no DELETE request, no exit): nothing could have touched it', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.foreignOrders} foreign order(s) survived ${stats.botDeletes} DELETE request(s) and ${stats.exitsAfter} shutdown(s) of the bot`],
      stats,
    };
  },
};
