import type { MarketTickData, OrderNewData } from '../history/types.ts';
import type { OrderFillData } from '../venue/engine/order-events.ts';
import { numberOption, unknown } from './compose.ts';
import { instanceSymbol } from './order-activity.ts';
import { increasesRisk, signedQty } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const S_C1 = '000_2ae31cbfe79758d1.txt#S-C1';
const R3 = '002_3e6ca2bf6dfde12d.txt#R3';
const PRE_TRADE = '003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all';

/** One of the instance's orders still working at the venue: what it may still add. */
interface Working {
  seq: number;
  side: string;
  reduceOnly: boolean;
  qty: number;
  cum: number;
}

interface Book {
  position: number;
  /** The order.new / order.fill that set `position`. */
  seq: number;
  working: Map<number, Working>;
}

function fmt(n: number, d = 6): string {
  return String(Number(n.toFixed(d)));
}

/**
 * No order takes the account beyond its limits, counting what is still pending.
 *
 * Valued at the market's real mid (the last `market tick` of the symbol before the order, the
 * price the venue trades at, whatever the bot's feed showed), every risk-increasing `order.new`
 * of an instance is judged against two limits given as options, the ones the target is configured
 * with:
 * - maxOrderNotionalUsd: the order's own notional (000_2ae31cbfe79758d1.txt#S-C1: no maximum
 *   notional / quantity guard, so a near-zero price print sizes a huge order);
 * - maxExposureNotionalUsd: the worst-case position if everything pending fills: the venue's
 *   position before the order, plus the unfilled rest of the instance's other working orders on
 *   the same side (not reduce-only), plus this order (002_3e6ca2bf6dfde12d.txt#R3: position limits
 *   not enforced at runtime; 003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all:
 *   the exposure check run without the new order's and pending exposure).
 * Reduce-only orders and orders that shrink the position are never judged (they cannot add
 * exposure). Evidence: [order.new (its positionBefore is the venue's position), the market tick
 * valuing it, the order.new of each pending order counted].
 *
 * Unknown when no risk-increasing order could be valued (no order, or no market tick before it),
 * or, in a scenario with faults, none came after the first fault took effect (`fault.start`).
 * Options: maxOrderNotionalUsd, maxExposureNotionalUsd (at least one is required).
 */
export const exposureWithinLimits: Checker = {
  name: 'exposure-within-limits',
  description: 'No order exceeds the max order notional, and position + pending orders + the order stay within the exposure limit',
  findings: [S_C1, R3, PRE_TRADE],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const maxOrder = numberOption(ctx.options, 'maxOrderNotionalUsd', Number.POSITIVE_INFINITY);
    const maxExposure = numberOption(ctx.options, 'maxExposureNotionalUsd', Number.POSITIVE_INFINITY);
    if (maxOrder === Number.POSITIVE_INFINITY && maxExposure === Number.POSITIVE_INFINITY)
      throw new TypeError('check exposure-within-limits needs maxOrderNotionalUsd and/or maxExposureNotionalUsd');
    const violations: Violation[] = [];
    const stats = {
      faults: 0,
      judgedUnderFault: 0,
      orders: 0,
      riskOrders: 0,
      judged: 0,
      unpriced: 0,
      withPending: 0,
      oversized: 0,
      overExposed: 0,
      maxOrderUsd: 0,
      maxExposureUsd: 0,
    };
    const mids = new Map<string, { mid: number; seq: number }>();
    const books = new Map<string, Book>();

    for (const e of history) {
      if (e.src === 'fault' && e.type === 'fault.start') stats.faults++;
      if (e.src === 'market' && e.type === 'tick') {
        const d = e.data as MarketTickData;
        mids.set(d.symbol, { mid: Number(d.mid), seq: e.seq });
        continue;
      }
      if (e.src !== 'venue' || e.instance === undefined) continue;
      if (e.type !== 'order.new' && e.type !== 'order.fill' && e.type !== 'order.cancel') continue;
      const sym = (e.data as { symbol: string }).symbol;
      const key = instanceSymbol(e.instance, sym);
      let b = books.get(key);
      if (e.type === 'order.fill') {
        if (!b) continue;
        const f = e.data as unknown as OrderFillData;
        b.position = Number(f.positionAfter);
        b.seq = e.seq;
        const w = b.working.get(f.orderId);
        if (w) w.cum = Number(f.cumQty);
        if (f.status === 'FILLED') b.working.delete(f.orderId);
        continue;
      }
      if (e.type === 'order.cancel') {
        b?.working.delete((e.data as { orderId: number }).orderId);
        continue;
      }
      const o = e.data as unknown as OrderNewData;
      if (!b) {
        b = { position: 0, seq: e.seq, working: new Map() };
        books.set(key, b);
      }
      b.position = Number(o.positionBefore);
      b.seq = e.seq;
      const qty = Number(o.qty);
      stats.orders++;
      const pending = [...b.working.values()].filter((w) => w.side === o.side && !w.reduceOnly && w.qty > w.cum);
      b.working.set(o.orderId, { seq: e.seq, side: o.side, reduceOnly: o.reduceOnly, qty, cum: 0 });
      if (!increasesRisk(b.position, o.side, qty, o.reduceOnly)) continue;
      stats.riskOrders++;
      const px = mids.get(sym);
      if (!px) {
        stats.unpriced++;
        continue;
      }
      stats.judged++;
      if (stats.faults > 0) stats.judgedUnderFault++;
      if (pending.length > 0) stats.withPending++;
      const pendingQty = pending.reduce((s, w) => s + signedQty(w.side, w.qty - w.cum), 0);
      const worst = b.position + pendingQty + signedQty(o.side, qty);
      const orderUsd = qty * px.mid;
      const exposureUsd = Math.abs(worst) * px.mid;
      stats.maxOrderUsd = Math.max(stats.maxOrderUsd, Math.round(orderUsd));
      stats.maxExposureUsd = Math.max(stats.maxExposureUsd, Math.round(exposureUsd));
      const problems: string[] = [];
      if (orderUsd > maxOrder) {
        // 000_2ae31cbfe79758d1.txt#S-C1: an order above the absolute notional cap went out.
        stats.oversized++;
        problems.push(`its notional ${fmt(orderUsd, 2)} USD is above the max order notional ${maxOrder} USD`);
      }
      if (exposureUsd > maxExposure) {
        // 002_3e6ca2bf6dfde12d.txt#R3, 003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all:
        // position + pending + this order beyond the exposure limit.
        stats.overExposed++;
        const parts = `position ${fmt(b.position)}${pending.length > 0 ? ` + ${fmt(pendingQty)} still pending in ${pending.length} working order(s)` : ''} + ${o.side} ${o.qty}`;
        problems.push(`it takes the exposure to ${fmt(worst)} (${parts}) = ${fmt(exposureUsd, 2)} USD, above the limit ${maxExposure} USD`);
      }
      if (problems.length === 0) continue;
      violations.push({
        t: e.t,
        instance: e.instance,
        message: `${e.instance} sent ${o.side} ${o.qty} ${sym} (order ${o.orderId}) at a market mid of ${px.mid}: ${problems.join('; ')}`,
        evidence: [e.seq, px.seq, ...pending.map((w) => w.seq)],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.judged === 0)
      return unknown(
        stats.riskOrders === 0 ? 'no risk-increasing order: no limit was exercised' : 'no market price before the orders: nothing could be valued',
        stats,
      );
    if ((ctx.scenario.faults?.length ?? 0) > 0 && stats.judgedUnderFault === 0)
      return unknown('no risk-increasing order after the scenario’s faults took effect: the limits were not put to the test', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.judged} risk-increasing order(s) within limits (largest order ${stats.maxOrderUsd} USD, largest exposure ${stats.maxExposureUsd} USD)`],
      stats,
    };
  },
};
