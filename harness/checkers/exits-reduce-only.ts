import type { OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { fmt, signedQty } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const FINDING = '001_0474a2fd1532b929.txt#M2';

/**
 * Every order that reduces a position is reduce-only.
 *
 * Encodes 001_0474a2fd1532b929.txt#M2: TP/SL and flatten orders sent with `reduce_only=False`
 * can open new positions. Observed on the venue: an `order.new` on the opposite side of the
 * instance's position (`positionBefore` != 0) is an exit. Without reduceOnly, nothing limits it to
 * the position the venue really holds: one that is larger than the position flips it (closes the
 * old side and opens the other in one order); one that is not only reduces by luck of the bot's
 * view being right. Both are violations, the flip reported as such. Evidence: [order.new].
 *
 * Unknown when no order reduced a position (no exit to judge).
 *
 * Options: tolerance (default 1e-9): quantity slack when comparing an order with the position.
 */
export const exitsReduceOnly: Checker = {
  name: 'exits-reduce-only',
  description: 'Every order that reduces a position is reduce-only; none flips a position through zero',
  findings: [FINDING],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const tolerance = numberOption(ctx.options, 'tolerance', 1e-9);
    const violations: Violation[] = [];
    const stats = { orders: 0, exits: 0, reduceOnlyExits: 0, plainExits: 0, flips: 0 };
    for (const e of history) {
      if (e.src !== 'venue' || e.type !== 'order.new' || e.instance === undefined) continue;
      stats.orders++;
      const o = e.data as unknown as OrderNewData;
      const pos = Number(o.positionBefore);
      const qty = Number(o.qty);
      if (Math.abs(pos) <= tolerance || Math.sign(signedQty(o.side, qty)) === Math.sign(pos)) continue;
      stats.exits++;
      if (o.reduceOnly) {
        stats.reduceOnlyExits++;
        continue;
      }
      const after = pos + signedQty(o.side, qty);
      const flips = Math.abs(after) > tolerance && Math.sign(after) !== Math.sign(pos);
      // 001_0474a2fd1532b929.txt#M2: a flatten without reduce_only; a flip opens the other side.
      if (flips) stats.flips++;
      else stats.plainExits++;
      violations.push({
        t: e.t,
        instance: e.instance,
        message: flips
          ? `${e.instance} flipped its ${o.symbol} position ${fmt(pos)} -> ${fmt(after)} with one ${o.side} ${o.qty} that is not reduce-only (order ${o.orderId}): the exit opened a new position`
          : `${e.instance} reduced its ${o.symbol} position ${fmt(pos)} -> ${fmt(after)} with a ${o.side} ${o.qty} that is not reduce-only (order ${o.orderId}): on a stale view of the position it would open one`,
        evidence: [e.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.exits === 0) return unknown('no order reduced a position: no exit to judge', stats);
    return { valid: true, violations: [], notes: [`all ${stats.exits} exit(s) were reduce-only`], stats };
  },
};
