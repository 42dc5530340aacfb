import type { OutputClosedData } from '../faults/output-pipe-close.ts';
import type { OutputLineData, OutputScanData } from '../faults/target-output-scan.ts';
import type { FaultData, HistoryEvent } from '../history/types.ts';
import { numberOption, PROCESS_FAULTS, secs, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const DEFAULT_MENTIONS = 'stderr|stdout|terminal|console|broken pipe|EPIPE';

/**
 * When the bot's terminal goes away (fault output-pipe-close: its stderr or stdout pipe closed, so
 * every later write there fails), the bot keeps running and says so where it can still be read:
 * 000_2ae31cbfe79758d1.txt#E-H2, "terminal/journal writes that fail are silently dropped while
 * reporting success"; acceptance "when the underlying stream write fails, a warning is logged to
 * the [bot's durable] sink". Per closed pipe (`fault output.closed`):
 * - the process survives: no exit of that instance between the close and the window's end other
 *   than one a process fault caused (SIGPIPE kills a process that does not ignore it);
 * - the failure is reported: a line matching `mentions` (default stderr|stdout|terminal|console|
 *   broken pipe|EPIPE, case-insensitive) in another of its sinks, found by a target-output-scan
 *   whose window covers the close: a `fault output.line` from any file but the closed stream's log,
 *   e.g. `state/refbot-ops.log` (scan param stateFiles).
 * Evidence: [the exit or the scan's output.scan, the output.closed].
 *
 * Unknown when no pipe was closed, when the bot had not written to that stream within
 * activeWithinMs before the close (a stream it does not use has nothing to lose), or when no scan
 * of another sink covered the close. Options: mentions (a regular expression), activeWithinMs
 * (default 10000).
 */
export const outputFailuresReported: Checker = {
  name: 'output-failures-reported',
  description:
    'When the bot’s stderr/stdout pipe is closed mid-run, the bot keeps running and reports the failed writes in a sink that still works (its own log file)',
  findings: ['000_2ae31cbfe79758d1.txt#E-H2'],
  requires: [],
  check(history, ctx): CheckResult {
    const activeWithinMs = numberOption(ctx.options, 'activeWithinMs', 10_000);
    const rawMentions = ctx.options.mentions ?? DEFAULT_MENTIONS;
    if (typeof rawMentions !== 'string') throw new TypeError('check option mentions must be a regular expression string');
    const mentions = new RegExp(rawMentions, 'i');
    const stats = { closed: 0, judged: 0, exits: 0, reported: 0, scannedLines: 0 };

    let end: HistoryEvent | undefined;
    const closes: HistoryEvent[] = [];
    const exits: HistoryEvent[] = [];
    const processFaults: { instance: string | undefined; t: number }[] = [];
    const scanStarts = new Map<string, number>(); // `${id}/${instance}` -> t of the scan's fault.start
    const scans: HistoryEvent[] = [];
    const lines: HistoryEvent[] = [];
    for (const e of history) {
      if (e.src === 'harness' && e.type === 'scenario.window.end') end ??= e;
      else if (e.src === 'fault' && e.type === 'output.closed') closes.push(e);
      else if (e.src === 'fault' && e.type === 'fault.start') {
        const d = e.data as FaultData;
        if (d.kind === 'target-output-scan') scanStarts.set(`${d.id}/${e.instance}`, e.t);
        if (PROCESS_FAULTS.has(d.kind)) processFaults.push({ instance: e.instance, t: e.t });
      } else if (e.src === 'fault' && e.type === 'output.scan') scans.push(e);
      else if (e.src === 'fault' && e.type === 'output.line') lines.push(e);
      else if (e.src === 'target' && e.type === 'target.exit' && end === undefined) exits.push(e);
    }
    stats.closed = closes.length;
    if (closes.length === 0) return unknown('no output pipe was closed (fault output-pipe-close)', stats);

    const violations: Violation[] = [];
    const notes: string[] = [];
    let judgedReports = 0;
    for (const c of closes) {
      const d = c.data as unknown as OutputClosedData;
      const inst = c.instance;
      if (d.lastWriteAgoMs === undefined || d.lastWriteAgoMs > activeWithinMs) {
        notes.push(`${inst} had not written to ${d.stream} within ${activeWithinMs} ms before the close: nothing to lose`);
        continue;
      }
      stats.judged++;
      // The process survives its terminal going away.
      const exit = exits.find((x) => x.instance === inst && x.t >= c.t && x.data.pid === d.pid);
      const caused = exit && processFaults.some((p) => (p.instance === undefined || p.instance === inst) && p.t >= c.t && p.t <= exit.t);
      if (exit && !caused) {
        stats.exits++;
        violations.push({
          t: exit.t,
          instance: inst,
          message: `${inst} exited (code ${String(exit.data.code)}, signal ${String(exit.data.signal)}) ${Math.round(exit.t - c.t)} ms after its ${d.stream} pipe was closed at ${secs(c.t)}: losing its terminal took the bot down`,
          evidence: [exit.seq, c.seq],
        });
        continue;
      }
      // The failure is reported in a sink that still works.
      const covering = scans.filter((s) => s.instance === inst && s.t >= c.t && (scanStarts.get(`${s.data.id}/${inst}`) ?? Number.POSITIVE_INFINITY) <= c.t);
      if (covering.length === 0) {
        notes.push(`no target-output-scan of ${inst} covered the close at ${secs(c.t)}`);
        continue;
      }
      judgedReports++;
      const ids = new Set(covering.map((s) => String(s.data.id)));
      const closedLog = `${d.stream}.log`;
      const other = lines.filter((l) => l.instance === inst && ids.has(String(l.data.id)) && (l.data as unknown as OutputLineData).file !== closedLog);
      const report = other.find((l) => mentions.test((l.data as unknown as OutputLineData).text));
      for (const s of covering)
        stats.scannedLines += (s.data as unknown as OutputScanData).files.filter((f) => f.file !== closedLog).reduce((n, f) => n + f.lines, 0);
      if (report) {
        stats.reported++;
        continue;
      }
      const scan = covering[0] as HistoryEvent;
      const files = (scan.data as unknown as OutputScanData).files.filter((f) => f.file !== closedLog);
      violations.push({
        t: scan.t,
        instance: inst,
        message: `${inst}'s ${d.stream} pipe was closed at ${secs(c.t)} and nothing said so: no line matching /${rawMentions}/i in ${files.length ? files.map((f) => `${f.file} (${f.lines} line(s) since the close)`).join(', ') : 'any other sink'}`,
        evidence: [scan.seq, c.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes, stats };
    if (stats.judged === 0) return { ...unknown(notes[0] ?? 'no closed pipe could be judged', stats), notes };
    if (judgedReports === 0) return { ...unknown(notes[0] ?? 'no scan covered a close', stats), notes };
    return { valid: true, violations: [], notes: [...notes, `${stats.reported} closed pipe(s) reported in another sink; the bot survived each`], stats };
  },
};
