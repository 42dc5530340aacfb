import type { FaultData, HistoryEvent } from '../history/types.ts';
import type { Violation } from './types.ts';

export const STUCK_IN_ERROR = '004_8a8a9a4995486b8f.txt#H-FSM-01';
export const WARMUP_DEADLOCK = '003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders';

export interface ResumeStats {
  resumeJudged: number;
  resumeMs: number;
  notResumed: number;
}

/**
 * Option resumeWithinMs of loop-never-stalls: trading itself must not stall for good. An instance
 * that sent orders before the first fault (venue `order.new`) sends a new one within resumeWithinMs
 * of the moment every fault concerning it has healed (its last fault.end). Encodes
 * 004_8a8a9a4995486b8f.txt#H-FSM-01 (transition table gaps leave a symbol stuck in ERROR: "fail
 * orders transiently; each symbol must leave ERROR and trade again after heal") and
 * 003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders (a
 * readiness gate held shut by NaN placeholders only a gated update would replace: "can stall in
 * warmup indefinitely"; a re-warm on holed klines must not stop trading for good). Evidence: [the
 * first order after the heal, or scenario.window.end when it never came or came too late, the last
 * order before the heal, the last fault.end, its fault.start]. An instance is not judged when a
 * fault concerning it is still active at the window end, when it sent no order before the first
 * fault, or when the window leaves less than resumeWithinMs after the heal.
 */
export function judgeResume(
  history: readonly HistoryEvent[],
  resumeWithinMs: number,
  ignoreKinds: ReadonlySet<string>,
): { violations: Violation[]; stats: ResumeStats } {
  const stats: ResumeStats = { resumeJudged: 0, resumeMs: 0, notResumed: 0 };
  const violations: Violation[] = [];
  const starts = new Map<string, HistoryEvent>(); // fault id -> fault.start
  const ends: HistoryEvent[] = [];
  const orders = new Map<string, HistoryEvent[]>();
  let end: HistoryEvent | undefined;
  for (const e of history) {
    if (e.src === 'harness' && e.type === 'scenario.window.end') {
      end = e;
      break;
    }
    if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
      const d = e.data as FaultData;
      if (ignoreKinds.has(d.kind)) continue;
      if (e.type === 'fault.start') starts.set(d.id, e);
      else ends.push(e);
    } else if (e.src === 'venue' && e.type === 'order.new' && e.instance !== undefined) {
      orders.set(e.instance, [...(orders.get(e.instance) ?? []), e]);
    }
  }
  if (!end) return { violations, stats };
  const concerns = (f: HistoryEvent, inst: string) => f.instance === undefined || f.instance === 'all' || f.instance === inst;
  for (const [inst, list] of orders) {
    const mine = [...starts.values()].filter((f) => concerns(f, inst));
    const healed = ends.filter((f) => concerns(f, inst));
    const firstStart = mine.reduce((t, f) => Math.min(t, f.t), Number.POSITIVE_INFINITY);
    if (mine.length === 0 || healed.length < mine.length) continue; // no fault, or one still active
    if (!list.some((o) => o.t < firstStart)) continue; // never traded before: nothing to resume
    const heal = healed.reduce((a, b) => (b.t > a.t ? b : a));
    if (end.t - heal.t < resumeWithinMs) continue;
    stats.resumeJudged++;
    const next = list.find((o) => o.t > heal.t);
    const last = [...list].reverse().find((o) => o.t <= heal.t);
    const waited = (next?.t ?? end.t) - heal.t;
    stats.resumeMs = Math.max(stats.resumeMs, Math.round(waited));
    if (next && waited <= resumeWithinMs) continue;
    // 004_8a8a9a4995486b8f.txt#H-FSM-01, 003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders:
    // every fault healed, yet the instance did not trade again in time.
    stats.notResumed++;
    const start = starts.get((heal.data as FaultData).id);
    violations.push({
      t: next?.t ?? end.t,
      instance: inst,
      message: next
        ? `${inst} sent its first order ${Math.round(waited)} ms after every fault had healed (t=${(heal.t / 1000).toFixed(2)}s); bound ${resumeWithinMs} ms`
        : `${inst} never traded again after every fault had healed at t=${(heal.t / 1000).toFixed(2)}s (${Math.round(waited)} ms to the window end; bound ${resumeWithinMs} ms)` +
          (last ? `; its last order was at t=${(last.t / 1000).toFixed(2)}s` : ''),
      evidence: [(next ?? end).seq, ...(last ? [last.seq] : []), heal.seq, ...(start ? [start.seq] : [])],
    });
  }
  return { violations, stats };
}
