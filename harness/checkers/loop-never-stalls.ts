import type { FaultData, HistoryEvent } from '../history/types.ts';
import { numberOption, PROCESS_FAULTS, unknown } from './compose.ts';
import { judgeResume, STUCK_IN_ERROR, WARMUP_DEADLOCK } from './loop-resumes.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

interface FaultWindow {
  id: string;
  kind: string;
  instance: string | undefined;
  startSeq: number;
  startT: number;
  endT: number;
}

interface Gap {
  instance: string;
  from: HistoryEvent;
  /** The heartbeat that ended the gap, or scenario.window.end when none came. */
  to: HistoryEvent;
}

function isHeartbeat(e: HistoryEvent): boolean {
  return e.src === 'target' && e.type === 'probe' && e.data.probe === 'heartbeat';
}

function overlaps(w: FaultWindow, from: number, to: number): boolean {
  return w.startT <= to && w.endT >= from;
}

/**
 * The bot's event loop never stalls beyond `maxGapMs`, whatever the faults do to its network,
 * REST endpoints or database.
 *
 * Observed through the bot's heartbeat probe (`{"probe":"heartbeat"}`, emitted by a task of its
 * event loop every ~200 ms): a gap between two consecutive heartbeats of an instance is how long
 * its loop could not run. From `scenario.ready` to `scenario.window.end` every gap, and the time
 * from the last heartbeat to the window's end, must stay within maxGapMs. Encodes:
 * - 000_2ae31cbfe79758d1.txt#E-H4: a REST retry loop that sleeps on the main thread; acceptance
 *   "No single REST failure can block the trading loop for > 5 seconds" (rest-error / rest-slow /
 *   link-stall on an endpoint the loop calls);
 * - 000_2ae31cbfe79758d1.txt#S-H4: SQLite connections in the hot path without WAL block the loop
 *   for the busy timeout under contention (sqlite-lock);
 * - 000_2ae31cbfe79758d1.txt#E-H3: a connection (and its PRAGMA setup) per operation on the
 *   trading path; under a held lock each one waits on the loop (sqlite-lock, partial-fills);
 * - 004_8a8a9a4995486b8f.txt#H-ENG-05: a lock held during market-data I/O blocks the main loop
 *   (rest-slow / link-stall while the lock holder's request hangs);
 * - 004_8a8a9a4995486b8f.txt#C-ADAPTER-01: an HTTP lock held across network calls with the
 *   timeout inside it: on a slow or stalled link everything that needs the lock waits (rest-slow).
 * - 004_8a8a9a4995486b8f.txt#C-ADAPTER-02: the clock resync (after a -1021) makes its HTTP call
 *   inside that lock: a slow server-time endpoint during a resync stalls the loop (venue-clock-skew
 *   with rest-slow on /fapi/v1/time).
 * - 004_8a8a9a4995486b8f.txt#C-PORT-02: two locks taken in opposite orders by the fill handler and
 *   the loop deadlock under many partial fills; #C-ENG-02 / #C-ENG-03: position state shared with
 *   the fill thread without a lock, a dict changed during iteration kills the loop (fast ticks and
 *   sliced fills): the heartbeat stops (a deadlock) or the process dies.
 * - 001_0474a2fd1532b929.txt#M3: a blocking HTTP warmup (klines) inside the event loop freezes
 *   market-data processing while the endpoint is slow (rest-slow on /fapi/v1/klines when the
 *   warmup runs).
 * - 003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in: the historical sync
 *   writes with the store's connection directly, not through its locking write path; with another
 *   writer on the database it waits for the lock where it runs, on the loop (sqlite-lock while a
 *   market reconnect re-runs the kline sync).
 * - 001_0474a2fd1532b929.txt#M4 and #C8: an exception from the fill handler (re-raised, or a
 *   division by zero in its diagnostic log line) escapes into the loop and takes the bot down
 *   (user-events-tamper, partial-fills): the heartbeat stops for good. When the instance's
 *   target.exit comes inside the window (not during a process fault), the violation says so and
 *   that event leads the evidence.
 * - 004_8a8a9a4995486b8f.txt#C-PORT-01: a periodic budget health check reads an attribute that
 *   was never set, so the bot dies at its first run, minutes in: a long window (the 15-minute soak)
 *   shows the death the same way.
 * Gaps that overlap a process fault of the instance (process-pause, process-kill) are not judged:
 * a stopped process cannot beat. Evidence: [the target.exit if the process died, the heartbeat
 * that ended the gap (or the window end), the last heartbeat before it, the fault.start of every
 * fault active during the gap].
 *
 * Unknown when the target emitted no heartbeat at all (it cannot show its loop; one that beat
 * before ready and then fell silent is judged from its last heartbeat), or when no
 * fault other than a process fault took effect (fault.start) in the window: nothing stressed the loop.
 *
 * With option resumeWithinMs (> 0), trading must not stall for good either: an instance that
 * traded before the faults sends an order within resumeWithinMs of the last heal (see
 * loop-resumes.ts; 004_8a8a9a4995486b8f.txt#H-FSM-01, a symbol stuck in ERROR). Unknown when that
 * option is set and no instance could be judged on it.
 *
 * Options: maxGapMs (default 1000), resumeWithinMs (default 0 = not judged).
 */
export const loopNeverStalls: Checker = {
  name: 'loop-never-stalls',
  description:
    'The event loop keeps beating (heartbeat probe) within maxGapMs through network, REST, database and fill-event faults (a bot that dies mid-window fails), and optionally trades again within resumeWithinMs after the faults heal',
  findings: [
    '000_2ae31cbfe79758d1.txt#E-H4',
    '000_2ae31cbfe79758d1.txt#S-H4',
    '000_2ae31cbfe79758d1.txt#E-H3',
    '004_8a8a9a4995486b8f.txt#H-ENG-05',
    '004_8a8a9a4995486b8f.txt#C-ADAPTER-01',
    '004_8a8a9a4995486b8f.txt#C-ADAPTER-02',
    '004_8a8a9a4995486b8f.txt#C-PORT-02',
    '004_8a8a9a4995486b8f.txt#C-ENG-02',
    '004_8a8a9a4995486b8f.txt#C-ENG-03',
    '001_0474a2fd1532b929.txt#M3',
    '003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in',
    '001_0474a2fd1532b929.txt#M4',
    '001_0474a2fd1532b929.txt#C8',
    '004_8a8a9a4995486b8f.txt#C-PORT-01',
    STUCK_IN_ERROR,
    WARMUP_DEADLOCK,
  ],
  requires: ['probes'],
  check(history, ctx): CheckResult {
    const maxGapMs = numberOption(ctx.options, 'maxGapMs', 1000);
    const resumeWithinMs = numberOption(ctx.options, 'resumeWithinMs', 0);
    const stats = {
      heartbeats: 0,
      instances: 0,
      faults: 0,
      heartbeatsDuringFaults: 0,
      gapsJudged: 0,
      maxGapMs: 0,
      stalls: 0,
      exits: 0,
      resumeJudged: 0,
      resumeMs: 0,
      notResumed: 0,
    };

    let readyT: number | undefined;
    let end: HistoryEvent | undefined;
    const beats = new Map<string, HistoryEvent[]>();
    const beforeReady = new Map<string, HistoryEvent>(); // instance -> its last heartbeat before ready
    const exits = new Map<string, HistoryEvent[]>(); // instance -> its target.exit events inside the window
    const windows: FaultWindow[] = [];
    const open = new Map<string, FaultWindow>();
    for (const e of history) {
      if (e.src === 'harness' && e.type === 'scenario.ready' && readyT === undefined) readyT = e.t;
      else if (e.src === 'harness' && e.type === 'scenario.window.end' && end === undefined) end = e;
      else if (e.src === 'fault' && e.type === 'fault.start') {
        const d = e.data as FaultData;
        const w: FaultWindow = { id: d.id, kind: d.kind, instance: e.instance, startSeq: e.seq, startT: e.t, endT: Number.POSITIVE_INFINITY };
        windows.push(w);
        open.set(`${d.id}/${e.instance ?? ''}`, w);
      } else if (e.src === 'fault' && e.type === 'fault.end') {
        const w = open.get(`${(e.data as FaultData).id}/${e.instance ?? ''}`);
        if (w) w.endT = e.t;
      } else if (e.src === 'target' && e.type === 'target.exit' && e.instance !== undefined && readyT !== undefined && end === undefined) {
        exits.set(e.instance, [...(exits.get(e.instance) ?? []), e]);
      } else if (isHeartbeat(e) && e.instance !== undefined && readyT === undefined) {
        beforeReady.set(e.instance, e);
      } else if (isHeartbeat(e) && e.instance !== undefined && readyT !== undefined && end === undefined) {
        const list = beats.get(e.instance) ?? [];
        list.push(e);
        beats.set(e.instance, list);
        stats.heartbeats++;
      }
    }
    stats.exits = exits.size;
    const stressing = windows.filter((w) => !PROCESS_FAULTS.has(w.kind));
    stats.faults = stressing.length;
    // An instance that beat before ready and never after it died or froze right at the start: its
    // last heartbeat before ready starts the gap that its exit, or the window's end, closes
    // (001_0474a2fd1532b929.txt#M4, #C8). It has shown it can beat, so the silence is a stall.
    for (const [inst, pre] of beforeReady) if (!beats.has(inst)) beats.set(inst, [pre]);
    stats.instances = beats.size;
    if (stats.heartbeats === 0 && beats.size === 0) {
      return unknown('the target emitted no heartbeat probe after ready: its event loop cannot be observed', stats);
    }
    if (stressing.length === 0) return unknown('no fault (other than a process fault) took effect: nothing stressed the loop', stats);

    const concerns = (w: FaultWindow, inst: string) => w.instance === undefined || w.instance === inst;
    const violations: Violation[] = [];
    for (const [inst, list] of beats) {
      stats.heartbeatsDuringFaults += list.filter((b) => stressing.some((w) => concerns(w, inst) && b.t >= w.startT && b.t <= w.endT)).length;
      const gaps: Gap[] = [];
      for (let i = 1; i < list.length; i++) gaps.push({ instance: inst, from: list[i - 1] as HistoryEvent, to: list[i] as HistoryEvent });
      const last = list[list.length - 1] as HistoryEvent;
      if (end) gaps.push({ instance: inst, from: last, to: end });
      for (const g of gaps) {
        const ms = g.to.t - g.from.t;
        if (windows.some((w) => PROCESS_FAULTS.has(w.kind) && concerns(w, inst) && overlaps(w, g.from.t, g.to.t))) continue;
        stats.gapsJudged++;
        stats.maxGapMs = Math.max(stats.maxGapMs, Math.round(ms));
        if (ms <= maxGapMs) continue;
        // 000_2ae31cbfe79758d1.txt#E-H4, #S-H4, #E-H3, 004_8a8a9a4995486b8f.txt#H-ENG-05, #C-ADAPTER-01, #C-ADAPTER-02:
        // the loop could not run for longer than the bound.
        stats.stalls++;
        const active = stressing.filter((w) => concerns(w, inst) && overlaps(w, g.from.t, g.to.t));
        const during = active.length > 0 ? ` during ${active.map((w) => `${w.kind} (${w.id})`).join(', ')}` : ' (no fault active)';
        // 001_0474a2fd1532b929.txt#M4, #C8: the loop did not stall, it died: the process exited mid-window.
        const exit = g.to.type === 'scenario.window.end' ? exits.get(inst)?.find((x) => x.t >= g.from.t) : undefined;
        const how = exit
          ? `and the process exited at t=${(exit.t / 1000).toFixed(2)}s (code ${String(exit.data.code)}, signal ${String(exit.data.signal)}) before the window ended`
          : g.to.type === 'scenario.window.end'
            ? 'and never beat again before the window ended'
            : `until t=${(g.to.t / 1000).toFixed(2)}s`;
        violations.push({
          t: g.to.t,
          instance: inst,
          message: `${inst}'s event loop ${exit ? 'stopped beating' : 'stalled'} for ${Math.round(ms)} ms (bound ${maxGapMs} ms)${during}: last heartbeat at t=${(g.from.t / 1000).toFixed(2)}s ${how}`,
          evidence: [...(exit ? [exit.seq] : []), g.to.seq, g.from.seq, ...active.map((w) => w.startSeq)],
        });
      }
    }

    if (resumeWithinMs > 0) {
      // 004_8a8a9a4995486b8f.txt#H-FSM-01: every fault healed, trading must come back.
      const resumed = judgeResume(history, resumeWithinMs, PROCESS_FAULTS);
      violations.push(...resumed.violations);
      Object.assign(stats, resumed.stats);
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (resumeWithinMs > 0 && stats.resumeJudged === 0) {
      return unknown('resumeWithinMs is set but no instance traded before the faults and had resumeWithinMs of window after they all healed', stats);
    }
    if (stats.heartbeatsDuringFaults === 0) {
      return unknown('no heartbeat of any instance fell inside a fault window: the loop was not observed under stress', stats);
    }
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.gapsJudged} heartbeat gap(s) of ${stats.instances} instance(s) judged through ${stats.faults} fault(s); the longest was ${stats.maxGapMs} ms (bound ${maxGapMs} ms)`,
        ...(resumeWithinMs > 0
          ? [`${stats.resumeJudged} instance(s) traded again ${stats.resumeMs} ms after the last heal at most (bound ${resumeWithinMs} ms)`]
          : []),
      ],
      stats,
    };
  },
};
