import type { HistoryEvent, HttpRequestData } from '../history/types.ts';
import type { Violation } from './types.ts';

export const SLOW_MODE_STUCK = '004_8a8a9a4995486b8f.txt#H-SERV-02';

export interface RecoveryOptions {
  /** Time after the last fault healed that the bot gets to return to its cadence. */
  settleMs: number;
  /** The recovered cadence may be at most this many times the interval before the first failure. */
  slowFactor: number;
}

export interface RecoveryStats {
  endpointsJudged: number;
  baselineMs: number;
  maxGapAfterHealMs: number;
  notRecovered: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Rule `recovery` of outbound-discipline: an endpoint the bot polls at a steady cadence, which then
 * failed transiently (isFailure), is polled at (about) that cadence again once every fault of the
 * instance has healed. Baseline: the median interval between the instance's requests to the
 * endpoint before its first failure (at least 3 requests). From settleMs after the last fault.end
 * to the window end, no stretch longer than slowFactor x baseline may pass without a request to it.
 * Encodes 004_8a8a9a4995486b8f.txt#H-SERV-02 (one batch fetch failure switches market data
 * permanently to slow mode: "fail one batch fetch, then heal; the bot must return to normal
 * polling"). Evidence: [the request that ended the gap (or scenario.window.end), the request before
 * the gap, the endpoint's first failure, the fault.start active at that failure].
 * Endpoints are not judged while a fault is still active at the window end, or when the window
 * leaves less than one allowed gap after the settle time.
 */
export function judgeRecovery(
  history: readonly HistoryEvent[],
  isFailure: (d: HttpRequestData) => boolean,
  opts: RecoveryOptions,
): { violations: Violation[]; stats: RecoveryStats } {
  const stats: RecoveryStats = { endpointsJudged: 0, baselineMs: 0, maxGapAfterHealMs: 0, notRecovered: 0 };
  const violations: Violation[] = [];
  const reqs = new Map<string, HistoryEvent[]>(); // instance|endpoint -> requests
  const firstFail = new Map<string, { e: HistoryEvent; fault: number | undefined }>();
  const open = new Map<string, HistoryEvent>(); // fault id -> fault.start
  const lastEnd = new Map<string, number>(); // instance ('' = every instance) -> last fault.end t
  let windowEnd: HistoryEvent | undefined;
  const concerns = (f: HistoryEvent, inst: string) => f.instance === undefined || f.instance === 'all' || f.instance === inst;

  for (const e of history) {
    if (e.src === 'harness' && e.type === 'scenario.window.end') {
      windowEnd = e;
      break;
    }
    if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
      const id = String((e.data as { id?: unknown }).id);
      if (e.type === 'fault.start') open.set(id, e);
      else {
        open.delete(id);
        const k = e.instance === undefined || e.instance === 'all' ? '' : e.instance;
        lastEnd.set(k, Math.max(lastEnd.get(k) ?? 0, e.t));
      }
      continue;
    }
    if (e.src !== 'venue' || e.type !== 'http.request' || e.instance === undefined) continue;
    const d = e.data as HttpRequestData;
    const key = `${e.instance}|${d.method} ${d.path}`;
    reqs.set(key, [...(reqs.get(key) ?? []), e]);
    if (isFailure(d) && !firstFail.has(key)) {
      const active = [...open.values()].filter((f) => concerns(f, e.instance as string)).sort((a, b) => b.seq - a.seq)[0];
      firstFail.set(key, { e, fault: active?.seq });
    }
  }
  if (!windowEnd) return { violations, stats };

  for (const [key, fail] of firstFail) {
    const [inst = '', endpoint = ''] = key.split('|');
    if ([...open.values()].some((f) => concerns(f, inst))) continue; // not healed within the window
    const list = reqs.get(key) ?? [];
    const before = list.filter((r) => r.t < fail.e.t);
    if (before.length < 3) continue; // no steady cadence to return to
    const baseline = median(before.slice(1).map((r, i) => r.t - (before[i] as HistoryEvent).t));
    const healT = Math.max(lastEnd.get(inst) ?? 0, lastEnd.get('') ?? 0, fail.e.t);
    const from = healT + opts.settleMs;
    const allowed = opts.slowFactor * baseline;
    if (windowEnd.t - from < allowed) continue; // too little window left to see the cadence
    stats.endpointsJudged++;
    stats.baselineMs = Math.max(stats.baselineMs, Math.round(baseline));
    // Points in [from, window end]: every request there, and the window end.
    let prev: HistoryEvent | undefined = [...list].reverse().find((r) => r.t <= from);
    let prevT = from;
    for (const r of [...list.filter((x) => x.t > from), windowEnd]) {
      const gap = r.t - prevT;
      const fullGap = prev ? r.t - prev.t : gap;
      stats.maxGapAfterHealMs = Math.max(stats.maxGapAfterHealMs, Math.round(gap));
      if (gap > allowed) {
        // 004_8a8a9a4995486b8f.txt#H-SERV-02: the poll never came back to its cadence after the venue healed.
        stats.notRecovered++;
        const what = r === windowEnd ? 'no further request before the window ended' : `the next request only at t=${(r.t / 1000).toFixed(2)}s`;
        violations.push({
          t: r.t,
          instance: inst,
          message:
            `${inst} did not return to its cadence on ${endpoint} after the faults healed at t=${(healT / 1000).toFixed(2)}s: ` +
            `${Math.round(fullGap)} ms between requests (${what}); before its first failure it called it every ${Math.round(baseline)} ms, ` +
            `and ${opts.settleMs} ms after the heal no gap may exceed ${opts.slowFactor}x that (${Math.round(allowed)} ms)`,
          evidence: [r.seq, ...(prev ? [prev.seq] : []), fail.e.seq, ...(fail.fault === undefined ? [] : [fail.fault])],
        });
        break; // one violation per endpoint
      }
      if (r !== windowEnd) {
        prev = r;
        prevT = r.t;
      }
    }
  }
  return { violations, stats };
}
