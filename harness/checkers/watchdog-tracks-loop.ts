import type { FaultData, HistoryEvent } from '../history/types.ts';
import { numberOption, PROCESS_FAULTS, secs, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const isHeartbeat = (e: HistoryEvent) => e.src === 'target' && e.type === 'probe' && e.data.probe === 'heartbeat';
const isPing = (e: HistoryEvent) => e.src === 'target' && e.type === 'notify' && (e.data.state as Record<string, string> | undefined)?.WATCHDOG === '1';

interface Instance {
  periodMs: number;
  beats: HistoryEvent[];
  pings: HistoryEvent[];
  /** Spans [from, to] in which the process was stopped, killed or signalled by a fault, or had exited. */
  excused: { from: number; to: number }[];
}

/**
 * Under a watchdog (scenario field `watchdog`: NOTIFY_SOCKET and WATCHDOG_USEC, as systemd's
 * `WatchdogSec=` gives a `Type=notify` service), the bot's `WATCHDOG=1` pings say exactly whether
 * its main loop runs: 000_2ae31cbfe79758d1.txt#X-L4, "a deadlocked daemon stays active";
 * acceptance "implement sd_notify(WATCHDOG=1) in main loop". The loop is observed through the
 * heartbeat probe (a task of the loop, every ~200 ms), the pings through the `target notify`
 * events the harness's socket records. Per instance, from scenario.ready to the window's end:
 * - pings keep coming while the loop runs: no stretch of more than periodMs + slackMs in which the
 *   loop kept beating (no heartbeat gap above aliveGapMs) passes without a ping. A bot that never
 *   pings would stay "active" through any deadlock; one that pings too rarely is killed while healthy.
 * - pings stop when the loop stalls: in a heartbeat gap longer than periodMs, no ping comes later
 *   than slackMs after the last heartbeat. A ping from a timer thread, or from anything but the
 *   loop, keeps a deadlocked bot "active": the watchdog would never fire.
 * Spans in which a process fault stops the instance, and anything after its process exited, are not
 * judged. Evidence: [the ping or heartbeat closing the span, the one opening it].
 *
 * Unknown when the scenario gave no watchdog socket, the harness's receiver died mid-run, the
 * instance emitted no heartbeat after ready, or less than two periods of running loop could be
 * judged. Options: slackMs (default 500), aliveGapMs (default 1000).
 */
export const watchdogTracksLoop: Checker = {
  name: 'watchdog-tracks-loop',
  description:
    'Under a systemd-style watchdog the bot pings WATCHDOG=1 at least once per period while its loop runs (heartbeat probes), and stops pinging when the loop stalls',
  findings: ['000_2ae31cbfe79758d1.txt#X-L4'],
  requires: ['probes', 'sd-notify'],
  check(history, ctx): CheckResult {
    const slackMs = numberOption(ctx.options, 'slackMs', 500);
    const aliveGapMs = numberOption(ctx.options, 'aliveGapMs', 1000);
    const stats = { instances: 0, pings: 0, heartbeats: 0, judgedAliveMs: 0, longestAliveWithoutPingMs: 0, stalls: 0, pingsDuringStalls: 0 };
    const insts = new Map<string, Instance>();
    let readyT: number | undefined;
    let end: HistoryEvent | undefined;
    let receiverDied: HistoryEvent | undefined;
    const open = new Map<string, { from: number; to: number }>();
    for (const e of history) {
      const inst = e.instance === undefined ? undefined : insts.get(e.instance);
      if (e.src === 'harness' && e.type === 'watchdog.socket' && e.instance !== undefined) {
        insts.set(e.instance, { periodMs: Number(e.data.periodMs), beats: [], pings: [], excused: [] });
      } else if (e.src === 'harness' && e.type === 'scenario.ready' && readyT === undefined) readyT = e.t;
      else if (e.src === 'harness' && e.type === 'scenario.window.end' && end === undefined) end = e;
      else if (e.src === 'harness' && e.type === 'notify.receiver.exit' && end === undefined) receiverDied ??= e;
      else if (!inst || readyT === undefined || end !== undefined) continue;
      else if (isHeartbeat(e)) inst.beats.push(e);
      else if (isPing(e)) inst.pings.push(e);
      else if (e.src === 'fault' && e.type === 'fault.start' && PROCESS_FAULTS.has((e.data as FaultData).kind)) {
        const span = { from: e.t, to: Number.POSITIVE_INFINITY };
        inst.excused.push(span);
        open.set(`${(e.data as FaultData).id}/${e.instance}`, span);
      } else if (e.src === 'fault' && e.type === 'fault.end') {
        const span = open.get(`${(e.data as FaultData).id}/${e.instance}`);
        if (span) span.to = e.t;
      } else if (e.src === 'target' && e.type === 'target.exit') inst.excused.push({ from: e.t, to: Number.POSITIVE_INFINITY });
      else if (e.src === 'target' && e.type === 'target.restart') {
        const last = inst.excused.findLast((s) => s.to === Number.POSITIVE_INFINITY);
        if (last) last.to = e.t;
      }
    }
    stats.instances = insts.size;
    if (insts.size === 0) return unknown('the scenario gave the target no watchdog socket (scenario field watchdog)', stats);
    if (readyT === undefined || end === undefined) return unknown('the run never reached a trading window (scenario.ready .. scenario.window.end)', stats);
    if (receiverDied) return unknown(`the harness's notify receiver died at ${secs(receiverDied.t)}: missing pings would prove nothing`, stats);
    const ready = readyT;
    const windowEnd = end;

    const violations: Violation[] = [];
    for (const [name, inst] of insts) {
      stats.pings += inst.pings.length;
      stats.heartbeats += inst.beats.length;
      if (inst.beats.length === 0) return unknown(`${name} emitted no heartbeat probe after ready: its loop cannot be observed`, stats);
      const excused = (from: number, to: number) => inst.excused.some((s) => s.from <= to && s.to >= from);
      const limit = inst.periodMs + slackMs;

      // Pings keep coming while the loop runs.
      const bounds: { t: number; e: HistoryEvent | undefined }[] = [{ t: ready, e: undefined }, ...inst.pings.map((p) => ({ t: p.t, e: p }))];
      bounds.push({ t: windowEnd.t, e: undefined });
      for (let i = 1; i < bounds.length; i++) {
        const a = bounds[i - 1] as { t: number; e: HistoryEvent | undefined };
        const b = bounds[i] as { t: number; e: HistoryEvent | undefined };
        const alive = longestAliveStretch(inst.beats, a.t, b.t, aliveGapMs, excused);
        stats.judgedAliveMs += alive.total;
        stats.longestAliveWithoutPingMs = Math.max(stats.longestAliveWithoutPingMs, Math.round(alive.longest));
        if (alive.longest <= limit) continue;
        const first = alive.from as HistoryEvent;
        const last = alive.to as HistoryEvent;
        const what =
          inst.pings.length === 0 ? 'sent no WATCHDOG=1 ping at all' : `sent no WATCHDOG=1 ping ${a.e ? `after the one at ${secs(a.t)}` : 'after ready'}`;
        violations.push({
          t: last.t,
          instance: name,
          message: `${name} ${what} while its loop kept beating for ${Math.round(alive.longest)} ms (${secs(first.t)}..${secs(last.t)}; watchdog period ${inst.periodMs} ms + ${slackMs} ms slack): a deadlock would never be noticed, or a healthy bot would be killed`,
          evidence: [last.seq, first.seq, ...(a.e ? [a.e.seq] : [])],
        });
      }

      // Pings stop when the loop stalls.
      const beats = [...inst.beats, windowEnd];
      for (let i = 1; i < beats.length; i++) {
        const h1 = beats[i - 1] as HistoryEvent;
        const h2 = beats[i] as HistoryEvent;
        if (h2.t - h1.t <= inst.periodMs || excused(h1.t, h2.t)) continue;
        stats.stalls++;
        const lying = inst.pings.filter((p) => p.t > h1.t + slackMs && p.t < h2.t);
        stats.pingsDuringStalls += lying.length;
        const first = lying[0];
        if (!first) continue;
        const until = h2 === windowEnd ? 'the window ended' : `it beat again at ${secs(h2.t)}`;
        violations.push({
          t: first.t,
          instance: name,
          message: `${name} kept pinging WATCHDOG=1 while its loop stalled: ${lying.length} ping(s) from ${secs(first.t)}, ${Math.round(first.t - h1.t)} ms after the last heartbeat at ${secs(h1.t)}, before ${until} (${Math.round(h2.t - h1.t)} ms without a heartbeat, watchdog period ${inst.periodMs} ms): the watchdog could never fire`,
          evidence: [first.seq, h1.seq, ...(h2 === windowEnd ? [] : [h2.seq])],
        });
      }
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    const minPeriod = Math.min(...[...insts.values()].map((i) => i.periodMs));
    if (stats.judgedAliveMs < 2 * minPeriod)
      return unknown(`only ${Math.round(stats.judgedAliveMs)} ms of running loop could be judged (less than two watchdog periods)`, stats);
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.pings} ping(s) over ${Math.round(stats.judgedAliveMs)} ms of running loop; ${stats.stalls} stall(s) longer than a period, ${stats.pingsDuringStalls} ping(s) during them`,
      ],
      stats,
    };
  },
};

/**
 * Within (from, to): the longest stretch in which the loop kept beating, heartbeat to heartbeat
 * with no gap above aliveGapMs and no excused span; also the total of all such stretches.
 */
function longestAliveStretch(
  beats: readonly HistoryEvent[],
  from: number,
  to: number,
  aliveGapMs: number,
  excused: (a: number, b: number) => boolean,
): { longest: number; total: number; from?: HistoryEvent; to?: HistoryEvent } {
  const inside = beats.filter((b) => b.t > from && b.t < to);
  let best: { longest: number; from?: HistoryEvent; to?: HistoryEvent } = { longest: 0 };
  let total = 0;
  let start: HistoryEvent | undefined;
  for (let i = 0; i < inside.length; i++) {
    const b = inside[i] as HistoryEvent;
    const prev = inside[i - 1];
    if (!start || !prev || b.t - prev.t > aliveGapMs || excused(prev.t, b.t)) start = b;
    else total += b.t - prev.t;
    if (b.t - start.t > best.longest) best = { longest: b.t - start.t, from: start, to: b };
  }
  return { ...best, total };
}
