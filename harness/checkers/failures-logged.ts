import type { OutputScanData } from '../faults/target-output-scan.ts';
import type { HistoryEvent } from '../history/types.ts';
import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const MARGIN_SWALLOWED = '001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently';

/** Fault kinds that make one venue endpoint fail, with the params that name it. */
const FAILURE_KINDS = new Set(['rest-error']);

interface Failure {
  start: HistoryEvent;
  instance: string;
  method: string;
  path: string;
  endT: number;
  /** The bot's requests the failure answered (venue http.request, status >= 400, in its window). */
  hits: HistoryEvent[];
}

interface Scan {
  id: string;
  start?: HistoryEvent;
  event?: HistoryEvent;
}

/**
 * A failure the bot runs into is visible in its log while it lasts: the bot may handle it (fail
 * closed, use a safe default), but not silently. 001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently:
 * the margin-ratio read caught every exception and returned a default without a log line, so an
 * operator never learned that the account source was down.
 *
 * Evidence: a failure fault (`rest-error`: one endpoint answers errors for its duration), the bot's
 * requests it answered (`venue http.request` with that method and path, status >= 400, between the
 * fault's start and end), and a windowed output scan around it (`target-output-scan` with `grep`
 * and `durationMs`, which records `fault output.scan` and each matching line as `fault
 * output.line`). The scan's grep is the scenario's statement of what a log line about this failure
 * looks like. Per failure the bot ran into, a scan of the same instance must cover its first failed
 * request (scan started before it, scanned after it); no matching line in that scan is a violation.
 * Evidence [first failed request, output.scan, failure fault.start, scan fault.start].
 *
 * Unknown when no failure was injected, the bot never called the failing endpoint while it failed
 * (not exercised), or no windowed scan with a grep covers the failure.
 */
export const failuresLogged: Checker = {
  name: 'failures-logged',
  description: 'A venue failure the bot runs into shows in its log while it lasts (handled, but never silently)',
  findings: [MARGIN_SWALLOWED],
  requires: [],
  check(history): CheckResult {
    const stats = { failures: 0, failedRequests: 0, exercised: 0, scans: 0, matchedLines: 0, silent: 0 };
    const failures = new Map<string, Failure>();
    const scans = new Map<string, Scan>();
    const scanOf = (id: string): Scan => {
      let s = scans.get(id);
      if (!s) {
        s = { id };
        scans.set(id, s);
      }
      return s;
    };
    for (const e of history) {
      if (e.src === 'fault') {
        const d = e.data as { id?: unknown; kind?: unknown; params?: { method?: unknown; path?: unknown } };
        const id = String(d.id);
        if (e.type === 'fault.start' && typeof d.kind === 'string' && FAILURE_KINDS.has(d.kind) && e.instance !== undefined) {
          failures.set(id, {
            start: e,
            instance: e.instance,
            method: typeof d.params?.method === 'string' ? d.params.method : 'POST',
            path: typeof d.params?.path === 'string' ? d.params.path : '/fapi/v1/order',
            endT: Number.POSITIVE_INFINITY,
            hits: [],
          });
        } else if (e.type === 'fault.end') {
          const f = failures.get(id);
          if (f) f.endT = e.t;
        } else if (e.type === 'fault.start' && d.kind === 'target-output-scan') {
          scanOf(id).start = e;
        } else if (e.type === 'output.scan') {
          const sd = e.data as unknown as OutputScanData;
          if (sd.windowMs !== undefined && sd.grep !== undefined) scanOf(sd.id).event = e;
        }
      } else if (e.src === 'venue' && e.type === 'http.request' && (e.data.status as number) >= 400) {
        for (const f of failures.values()) {
          if (f.instance !== e.instance || e.t < f.start.t || e.t > f.endT) continue;
          if (e.data.path === f.path && (f.method === '*' || e.data.method === f.method)) f.hits.push(e);
        }
      }
    }
    stats.failures = failures.size;
    const usable = [...scans.values()].filter((s): s is Scan & { start: HistoryEvent; event: HistoryEvent } => !!s.start && !!s.event);
    stats.scans = usable.length;
    if (failures.size === 0) return unknown('no venue failure was injected (fault rest-error): nothing for the bot to log', stats);

    const violations: Violation[] = [];
    let judged = 0;
    for (const f of failures.values()) {
      stats.failedRequests += f.hits.length;
      const first = f.hits[0];
      if (!first) continue;
      stats.exercised++;
      const scan = usable.find((s) => s.start.instance === f.instance && s.start.t <= first.t && s.event.t >= first.t);
      if (!scan) continue;
      judged++;
      const matched = (scan.event.data as unknown as OutputScanData).matched;
      stats.matchedLines += matched;
      if (matched > 0) continue;
      stats.silent++;
      // 001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently: handled without a word.
      violations.push({
        t: first.t,
        instance: f.instance,
        message:
          `${f.instance} ran into ${f.hits.length} failed ${f.method} ${f.path} answer(s) (HTTP ${first.data.status}) and logged no line ` +
          `matching /${(scan.event.data as unknown as OutputScanData).grep}/ while it lasted: the failure was swallowed silently [${MARGIN_SWALLOWED}]`,
        evidence: [first.seq, scan.event.seq, f.start.seq, scan.start.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.exercised === 0) return unknown('the bot never called a failing endpoint while it failed: not exercised', stats);
    if (judged === 0) return unknown('no windowed output scan with a grep (target-output-scan durationMs) covered the failure', stats);
    return { valid: true, violations: [], notes: [`${judged} failure(s) run into, each logged (${stats.matchedLines} matching line(s))`], stats };
  },
};
