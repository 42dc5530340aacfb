import type { FaultData, HistoryEvent, OrderNewData } from '../history/types.ts';
import type { OrderFillData } from '../venue/engine/order-events.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

export const PANIC_CLOSE = '003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without';
export const ERROR_WITHOUT_CLEANUP = '004_8a8a9a4995486b8f.txt#H-FSM-05';
export const BATCH_SHAPE = '003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads';

/** A point where the bot stops opening risk: a halt probe, or its lifecycle entering ERROR. */
function stopPoint(e: HistoryEvent): string | undefined {
  if (e.src !== 'target' || e.type !== 'probe' || e.instance === undefined) return undefined;
  if (e.data.probe === 'halt') return `a halt (${String(e.data.reason ?? 'halt')})`;
  if (e.data.probe === 'lifecycle' && e.data.state === 'ERROR') return `ERROR (${String(e.data.reason ?? '')})`;
  return undefined;
}

interface Working {
  order: HistoryEvent;
  /** Set once the venue ends it: cancelled, expired or fully filled. */
  endedT?: number;
  ended?: HistoryEvent;
  fills: HistoryEvent[];
}

/**
 * A halt stops the risk already on its way: every risk-increasing order of the instance still
 * working at the venue when the bot declares a halt is ended (cancelled, or done filling) within
 * cancelWithinMs, even when the first cancel fails.
 *
 * Encodes 003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without
 * (panic_close_all() marks orders_cancelled=True without checking the boolean return of
 * cancel_all_orders()): a panic that reports its cancels done while they failed leaves orders
 * working, and filling, behind a "halted" bot.
 *
 * Encodes 004_8a8a9a4995486b8f.txt#H-FSM-05 ("Error State Without Cleanup": entering ERROR does
 * not cancel orders or release budget, leaving ghost orders) the same way: a bot whose lifecycle
 * enters ERROR (`{"probe":"lifecycle","state":"ERROR"}`) has stopped trading, and the orders it
 * left working must end within the same bound.
 *
 * Encodes 003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads (batch
 * cancel results parsed with the wrong shape, so success accounting is wrong): a batch cancel is
 * answered HTTP 200 whatever its entries say, and a bot that does not read them counts a failed
 * entry's order as cancelled; it is still working when the bound passes.
 *
 * Halts are the bot's `{"probe":"halt"}` lines. Working orders come from the venue: `order.new`
 * without reduceOnly (an exit takes risk off and may finish), ended by an `order.cancel` or a
 * FILLED `order.fill`. For each halt of an instance, each of its orders working at that moment must
 * be ended within cancelWithinMs. Evidence: [the first fill after the bound (else its late end, or
 * the window's end when it never ended), the order.new, the halt probe, the last fault.start
 * before the halt concerning the instance (what made the cancel fail)]. Orders after the window end
 * are the harness stopping the instances: the judgement stops there.
 *
 * Unknown when the bot declared no halt, when no risk-increasing order was working at any halt
 * (not exercised), or when the window ended before the bound.
 *
 * Options: cancelWithinMs (default 2000).
 */
export const haltCancelsWorking: Checker = {
  name: 'halt-cancels-working',
  description:
    'A halt, or the lifecycle entering ERROR, ends the risk-increasing orders still working at the venue within a bound, even when the first cancel fails',
  findings: [PANIC_CLOSE, ERROR_WITHOUT_CLEANUP, BATCH_SHAPE],
  requires: ['probes', 'rest-orders'],
  check(history, ctx): CheckResult {
    const cancelWithinMs = numberOption(ctx.options, 'cancelWithinMs', 2000);
    const stats = { halts: 0, judgedHalts: 0, workingAtHalt: 0, endedInTime: 0, leftWorking: 0, fillsAfterBound: 0 };
    const orders = new Map<number, Working & { instance: string }>();
    const halts: { probe: HistoryEvent; what: string; working: (Working & { instance: string })[]; cause?: HistoryEvent }[] = [];
    const lastFault = new Map<string, HistoryEvent>();
    let end: HistoryEvent | undefined;
    for (const e of history) {
      if (e.src === 'harness' && e.type === 'scenario.window.end') {
        end = e;
        break;
      }
      if (e.src === 'fault' && e.type === 'fault.start') {
        const d = e.data as FaultData;
        if (d.kind === 'health-probe' || d.kind === 'target-output-scan') continue;
        lastFault.set(e.instance ?? '*', e);
        continue;
      }
      if (e.src === 'venue' && e.instance !== undefined) {
        if (e.type === 'order.new') {
          const o = e.data as unknown as OrderNewData;
          if (!o.reduceOnly) orders.set(o.orderId, { order: e, fills: [], instance: e.instance });
        } else if (e.type === 'order.fill' || e.type === 'order.cancel') {
          const id = (e.data as { orderId: number }).orderId;
          const w = orders.get(id);
          if (!w || w.endedT !== undefined) continue;
          if (e.type === 'order.fill') w.fills.push(e);
          if (e.type === 'order.cancel' || (e.data as unknown as OrderFillData).status === 'FILLED') {
            w.endedT = e.t;
            w.ended = e;
          }
        }
        continue;
      }
      const what = stopPoint(e);
      if (what !== undefined && e.instance !== undefined) {
        stats.halts++;
        const inst = e.instance;
        const working = [...orders.values()].filter((w) => w.instance === inst && w.endedT === undefined);
        const cause = lastFault.get(inst) ?? lastFault.get('*');
        halts.push({ probe: e, what, working, ...(cause ? { cause } : {}) });
      }
    }
    if (stats.halts === 0) return unknown('the bot declared no halt and never entered ERROR (no halt or lifecycle ERROR probe): nothing to judge', stats);

    const violations: Violation[] = [];
    for (const h of halts) {
      const bound = h.probe.t + cancelWithinMs;
      if (h.working.length === 0) continue;
      if (!end || end.t < bound) continue; // the window ended before the bound
      stats.judgedHalts++;
      for (const w of h.working) {
        stats.workingAtHalt++;
        if (w.endedT !== undefined && w.endedT <= bound) {
          stats.endedInTime++;
          continue;
        }
        // 003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without: the halt left it working;
        // 004_8a8a9a4995486b8f.txt#H-FSM-05: so did ERROR.
        stats.leftWorking++;
        const late = w.fills.filter((f) => f.t > bound);
        stats.fillsAfterBound += late.length;
        const o = w.order.data as unknown as OrderNewData;
        const first = late[0] ?? w.ended ?? end;
        violations.push({
          t: first.t,
          instance: w.instance,
          message:
            `${w.instance}'s order ${o.orderId} (${o.side} ${o.qty} ${o.symbol}) was still working ${cancelWithinMs} ms after it declared ${h.what} ` +
            `at t=${(h.probe.t / 1000).toFixed(2)}s` +
            (w.endedT !== undefined ? `; it ended only ${Math.round(w.endedT - h.probe.t)} ms after that` : '; it never ended in the window') +
            (late.length > 0 ? `, filling ${late.length} more time(s) after the bound` : ''),
          evidence: [first.seq, w.order.seq, h.probe.seq, ...(h.cause ? [h.cause.seq] : [])],
        });
      }
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.judgedHalts === 0) return unknown('no risk-increasing order was working at a halt (or the window ended before the bound): not exercised', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.workingAtHalt} working order(s) at ${stats.judgedHalts} halt(s), each ended within ${cancelWithinMs} ms`],
      stats,
    };
  },
};
