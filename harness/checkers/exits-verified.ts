import type { OrderNewData } from '../history/types.ts';
import type { OrderFillData } from '../venue/engine/order-events.ts';
import { numberOption, unknown } from './compose.ts';
import { instanceSymbol } from './order-activity.ts';
import { fmt, signedQty } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const EXIT_FLAT = '003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally';
const S_M8 = '000_2ae31cbfe79758d1.txt#S-M8';
const S_H5 = '000_2ae31cbfe79758d1.txt#S-H5';

/** The venue's order.reject as the venue and the order-reject fault record it. */
interface RejectData {
  symbol?: string;
  side?: string;
  qty?: string;
  reduceOnly?: boolean;
  code?: number;
  msg?: string;
}

/** A failed exit the instance has not yet retried. */
interface Episode {
  rejectSeq: number;
  t: number;
  side: string;
  /** The venue's position when the exit failed, and the event that set it. */
  position: number;
  posSeq: number;
}

interface Book {
  position: number;
  /** The order.new / order.fill that set `position`. */
  seq: number;
  open?: Episode;
}

/**
 * A failed exit is retried, and never taken for done.
 *
 * A failed exit is a venue `order.reject` of an instance's order that would have reduced its
 * position (reduce-only, or on the side opposite the venue's position while it is not flat). From
 * then on, until the instance sends the exit again (an `order.new` or another `order.reject` on the
 * same side that is reduce-only) or the venue position is flat:
 * - a position the instance states (`{"probe":"position"}`) that is not the venue's, and nearer to
 *   where the exit would have taken it, is the failed exit booked as done
 *   (003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally:
 *   success reported after submit_close() failed);
 * - an order that is not that exit (not reduce-only, or the other side) is the next step planned on
 *   a position closed only in the bot's books (same finding);
 * - no retry within retryMs is an exit silently dropped (000_2ae31cbfe79758d1.txt#S-M8:
 *   market_close returns None and is not retried; 000_2ae31cbfe79758d1.txt#S-H5: the close path
 *   fails and is abandoned).
 * One violation per failed exit. Evidence: [the offending probe or order.new (or the reject for a
 * dropped exit), the order.reject, the event that set the venue position].
 *
 * Unknown when no exit failed (the fault never took effect).
 * Options: retryMs (default 3000), tolerance (default 1e-9, base-asset quantity).
 */
export const exitsVerified: Checker = {
  name: 'exits-verified',
  description: 'A rejected exit is retried reduce-only until the position is flat, never booked as done',
  findings: [EXIT_FLAT, S_M8, S_H5],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const retryMs = numberOption(ctx.options, 'retryMs', 3000);
    const tolerance = numberOption(ctx.options, 'tolerance', 1e-9);
    const violations: Violation[] = [];
    const stats = { exits: 0, failedExits: 0, retried: 0, flattened: 0, probesJudged: 0, maxRetryMs: 0 };
    const books = new Map<string, Book>();
    let endT = 0;
    let windowEnd = Number.POSITIVE_INFINITY; // after the trading window the bot is being stopped

    const close = (b: Book, why: 'retried' | 'flattened', t: number) => {
      if (!b.open) return;
      stats[why]++;
      stats.maxRetryMs = Math.max(stats.maxRetryMs, Math.round(t - b.open.t));
      b.open = undefined;
    };
    const dropped = (b: Book, key: string, now: number) => {
      const ep = b.open;
      const [inst = '', sym = ''] = key.split('\u0000');
      if (!ep || now - ep.t <= retryMs) return;
      // 000_2ae31cbfe79758d1.txt#S-M8, #S-H5: the failed exit was never sent again.
      violations.push({
        t: ep.t,
        instance: inst,
        message: `${inst}'s ${ep.side} exit of its ${sym} position ${fmt(ep.position)} was rejected and not retried within ${retryMs} ms (the position stayed open)`,
        evidence: [ep.rejectSeq, ep.posSeq],
      });
      b.open = undefined;
    };

    for (const e of history) {
      endT = Math.max(endT, e.t);
      if (e.src === 'harness' && e.type === 'scenario.window.end') windowEnd = e.t;
      if (e.t <= windowEnd) for (const [key, b] of books) dropped(b, key, e.t);
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'target' && e.type === 'probe' && e.data.probe === 'position') {
        const p = e.data as { symbol?: unknown; position?: unknown };
        const b = typeof p.symbol === 'string' ? books.get(instanceSymbol(inst, p.symbol)) : undefined;
        const bot = Number(p.position);
        if (!b?.open || !Number.isFinite(bot)) continue;
        stats.probesJudged++;
        const ep = b.open;
        if (Math.abs(bot - b.position) <= tolerance || Math.abs(bot) >= Math.abs(b.position)) continue;
        // 003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally:
        // the bot's books show the exit done while the venue still holds the position.
        violations.push({
          t: e.t,
          instance: inst,
          message: `${inst} states a ${p.symbol} position of ${fmt(bot)} ${Math.round(e.t - ep.t)} ms after its ${ep.side} exit was rejected, but the venue still holds ${fmt(b.position)}: the failed exit was booked as done`,
          evidence: [e.seq, ep.rejectSeq, ep.posSeq],
        });
        b.open = undefined;
        continue;
      }
      if (e.src !== 'venue') continue;
      if (e.type === 'order.fill') {
        const f = e.data as unknown as OrderFillData;
        const b = books.get(instanceSymbol(inst, f.symbol));
        if (!b) continue;
        b.position = Number(f.positionAfter);
        b.seq = e.seq;
        if (b.open && Math.abs(b.position) <= tolerance) close(b, 'flattened', e.t);
        continue;
      }
      if (e.type !== 'order.new' && e.type !== 'order.reject') continue;
      const d = e.data as unknown as OrderNewData & RejectData;
      if (typeof d.symbol !== 'string' || typeof d.side !== 'string') continue;
      const key = instanceSymbol(inst, d.symbol);
      let b = books.get(key);
      if (e.type === 'order.new') {
        if (!b) {
          b = { position: Number(d.positionBefore), seq: e.seq };
          books.set(key, b);
        }
        b.position = Number(d.positionBefore);
        b.seq = e.seq;
      }
      if (!b) continue; // a reject before any accepted order: no known position
      const pos = b.position;
      const isExit = Math.abs(pos) > tolerance && (d.reduceOnly === true || Math.sign(signedQty(d.side, 1)) !== Math.sign(pos));
      const ep = b.open;
      if (ep) {
        if (d.side === ep.side && d.reduceOnly === true) {
          close(b, 'retried', e.t);
        } else {
          // 003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally:
          // the next order is planned as if the exit had closed the position.
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} sent ${d.side} ${d.qty} ${d.symbol}${d.reduceOnly ? ' reduce-only' : ''} ${Math.round(e.t - ep.t)} ms after its ${ep.side} exit of ${fmt(ep.position)} was rejected, without re-sending the exit: it took the failed exit for done`,
            evidence: [e.seq, ep.rejectSeq, ep.posSeq],
          });
          b.open = undefined;
          continue;
        }
      }
      if (!isExit) continue;
      stats.exits++;
      if (e.type === 'order.reject') {
        stats.failedExits++;
        b.open = { rejectSeq: e.seq, t: e.t, side: d.side, position: pos, posSeq: b.seq };
      }
    }
    for (const [key, b] of books) dropped(b, key, Math.min(endT, windowEnd));

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.failedExits === 0) return unknown('no exit was rejected: the close path never failed', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.failedExits} rejected exit(s): ${stats.retried} retried reduce-only, ${stats.flattened} flat by fills (slowest ${stats.maxRetryMs} ms)`],
      stats,
    };
  },
};
