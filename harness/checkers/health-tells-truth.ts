import type { HealthAnswerData } from '../faults/health-probe.ts';
import type { FaultData, HistoryEvent } from '../history/types.ts';
import { numberOption, secs, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

export const HEALTH_FINDING = '002_3e6ca2bf6dfde12d.txt#P3-3';
export const HEARTBEAT_UNTRACKED = '004_8a8a9a4995486b8f.txt#C-SERV-05';

/** A stop request to an instance (`fault process.signal`) and its exit (`target target.exit`), if seen. */
interface Stop {
  signal: HistoryEvent;
  exitT: number;
}

interface Impairment {
  start: HistoryEvent;
  end?: HistoryEvent;
  kind: string;
  channels: string[];
}

const healthy = (status: number): boolean => status >= 200 && status < 300;

/**
 * The bot's health endpoint tells the truth: it says unhealthy while the bot cannot trade safely
 * because something it needs is cut off, and healthy again once it can.
 *
 * Encodes 002_3e6ca2bf6dfde12d.txt#P3-3 (no /health endpoint for liveness checks, no heartbeat
 * mechanism "is the bot alive?"; recommendation: a health endpoint and monitored staleness). A
 * health endpoint that only says "the process is up" is worse than none: every monitor believes a
 * bot that trades blind.
 *
 * Evidence is what a monitor sees: the `fault health.answer` events of the health-probe fault
 * (status 0 = no answer in time). Ground truth is what the other faults cut off: a `fault.start`
 * whose `impairs` includes one of `channels` (default market-data) concerning the instance, until
 * its `fault.end`. Per instance:
 * - fail closed: no healthy (2xx) answer to a request sent between an impairment's start +
 *   detectMs and its end (the bot had detectMs to notice). A request that got no answer in time
 *   counts as unhealthy, as it would for a monitor.
 * - recovers: once every impairment has ended, a healthy answer comes within recoverMs (judged
 *   when the probe went on asking that long).
 * - drains on stop: from stopDetectMs after a stop request (`fault process.signal`, SIGTERM or
 *   SIGINT) until the instance exits, no healthy answer: a bot on its way out must not be sent
 *   traffic nor counted alive [004_8a8a9a4995486b8f.txt#C-SERV-05: the heartbeat thread, never
 *   stopped nor joined, goes on signalling "alive" through the shutdown]. Answers in that window
 *   are never false alarms.
 * - no false alarm: once the endpoint has said healthy (since the last heal, if any), no explicit
 *   unhealthy status (non-2xx) to a request sent while nothing was impaired and at least recoverMs
 *   after the last heal. (Missing answers there are not judged: the monitor's own timeout under
 *   load is no alarm; nor is 429, the monitor asking faster than the API's rate limit.)
 * Evidence: [the offending answer (or the last one of the recovery window), the impairment's
 * fault.start or fault.end].
 *
 * Unknown when the probe recorded no answer, or when no answer fell inside the judged part of an
 * impairment or of a stop (neither the fail-closed nor the drain rule was exercised).
 *
 * Options: detectMs (default 1500), recoverMs (default 2000), channels (default ["market-data"]),
 * stopDetectMs (default 300).
 */
export const healthTellsTruth: Checker = {
  name: 'health-tells-truth',
  description:
    'The bot’s health endpoint says unhealthy while the data it trades on is cut off and once it is asked to stop, healthy again after the heal, and raises no false alarm',
  findings: [HEALTH_FINDING, HEARTBEAT_UNTRACKED],
  requires: ['control-api'],
  check(history, ctx): CheckResult {
    const detectMs = numberOption(ctx.options, 'detectMs', 1500);
    const recoverMs = numberOption(ctx.options, 'recoverMs', 2000);
    const stopDetectMs = numberOption(ctx.options, 'stopDetectMs', 300);
    const channelsOpt = ctx.options.channels ?? ['market-data'];
    if (!Array.isArray(channelsOpt) || !channelsOpt.every((c) => typeof c === 'string'))
      throw new TypeError(`check option channels must be an array of strings, got ${JSON.stringify(channelsOpt)}`);
    const channels = new Set(channelsOpt as string[]);
    const stats = {
      answers: 0,
      healthy: 0,
      noAnswer: 0,
      impairments: 0,
      judgedInside: 0,
      recoveries: 0,
      recoveryMs: 0,
      falseHealthy: 0,
      notRecovered: 0,
      falseAlarms: 0,
      stops: 0,
      judgedStopping: 0,
      healthyStopping: 0,
    };

    const answers = new Map<string, HistoryEvent[]>();
    const impairments: Impairment[] = [];
    const stops = new Map<string, Stop[]>();
    const open = new Map<string, Impairment>();
    for (const e of history) {
      if (e.src === 'harness' && e.type === 'scenario.window.end') break;
      if (e.src === 'target' && e.type === 'target.exit' && e.instance !== undefined) {
        const s = stops.get(e.instance)?.at(-1);
        if (s && s.exitT === Number.POSITIVE_INFINITY) s.exitT = e.t;
        continue;
      }
      if (e.src !== 'fault') continue;
      if (e.type === 'process.signal' && e.instance !== undefined) {
        stops.set(e.instance, [...(stops.get(e.instance) ?? []), { signal: e, exitT: Number.POSITIVE_INFINITY }]);
        stats.stops++;
        continue;
      }
      if (e.type === 'health.answer' && e.instance !== undefined) {
        answers.set(e.instance, [...(answers.get(e.instance) ?? []), e]);
        stats.answers++;
        const d = e.data as unknown as HealthAnswerData;
        if (healthy(d.status)) stats.healthy++;
        if (d.status === 0) stats.noAnswer++;
      } else if (e.type === 'fault.start') {
        const d = e.data as FaultData & { impairs?: string[] };
        const cut = (d.impairs ?? []).filter((c) => channels.has(c));
        if (cut.length === 0) continue;
        const imp: Impairment = { start: e, kind: d.kind, channels: cut };
        impairments.push(imp);
        open.set(`${d.id}/${e.instance ?? ''}`, imp);
      } else if (e.type === 'fault.end') {
        const imp = open.get(`${(e.data as FaultData).id}/${e.instance ?? ''}`);
        if (imp) imp.end = e;
      }
    }
    stats.impairments = impairments.length;
    if (stats.answers === 0) return unknown('no health answer was recorded (no health-probe fault, or the bot published no control file)', stats);

    const violations: Violation[] = [];
    for (const [inst, list] of answers) {
      const mine = impairments.filter((w) => w.start.instance === undefined || w.start.instance === inst);
      const sentAt = (a: HistoryEvent) => a.t - (a.data as unknown as HealthAnswerData).ms;
      const endT = (w: Impairment) => w.end?.t ?? Number.POSITIVE_INFINITY;
      const what = (w: Impairment) => `${w.kind} (${String((w.start.data as FaultData).id)}, cutting ${w.channels.join(', ')})`;
      let lastHealthy: number | undefined; // send time of the latest healthy answer
      for (const a of list) {
        const d = a.data as unknown as HealthAnswerData;
        const sent = sentAt(a);
        // Answered after a stop request (even if asked just before it): the shutdown's business.
        const stop = (stops.get(inst) ?? []).find((s) => a.t >= s.signal.t && sent <= s.exitT);
        if (stop) {
          if (sent < stop.signal.t + stopDetectMs) continue;
          stats.judgedStopping++;
          if (!healthy(d.status)) continue;
          // 004_8a8a9a4995486b8f.txt#C-SERV-05: "alive" signalled through the shutdown.
          stats.healthyStopping++;
          violations.push({
            t: a.t,
            instance: inst,
            message: `${inst}'s health endpoint answered ${d.status} ${JSON.stringify(d.body.slice(0, 80))} at ${secs(sent)}, ${Math.round(sent - stop.signal.t)} ms after it was asked to stop (${String(stop.signal.data.signal)}; bound ${stopDetectMs} ms)`,
            evidence: [a.seq, stop.signal.seq],
          });
          continue;
        }
        const inside = mine.find((w) => sent >= w.start.t + detectMs && sent <= endT(w));
        if (inside) {
          stats.judgedInside++;
          if (healthy(d.status)) {
            // 002_3e6ca2bf6dfde12d.txt#P3-3: the endpoint called a bot that cannot see the market healthy.
            stats.falseHealthy++;
            violations.push({
              t: a.t,
              instance: inst,
              message: `${inst}'s health endpoint answered ${d.status} ${JSON.stringify(d.body.slice(0, 80))} at ${secs(sent)}, ${Math.round(sent - inside.start.t)} ms into ${what(inside)} (bound ${detectMs} ms to notice)`,
              evidence: [a.seq, inside.start.seq],
            });
          }
          continue;
        }
        if (healthy(d.status)) {
          lastHealthy = sent;
          continue;
        }
        const touching = mine.find((w) => sent >= w.start.t && sent <= endT(w) + recoverMs);
        const lastEnd = mine.filter((w) => w.end && w.end.t < sent).at(-1)?.end;
        // Judged only once the endpoint has said healthy since the last heal: an endpoint that never
        // recovered is the recovery rule's business, and start-up before the first ok is no alarm.
        if (touching || d.status === 0 || d.status === 429 || lastHealthy === undefined || lastHealthy < (lastEnd?.t ?? Number.NEGATIVE_INFINITY)) continue;
        // 002_3e6ca2bf6dfde12d.txt#P3-3: a health endpoint that cries wolf is ignored when it matters.
        stats.falseAlarms++;
        violations.push({
          t: a.t,
          instance: inst,
          message: `${inst}'s health endpoint answered ${d.status} ${JSON.stringify(d.body.slice(0, 80))} at ${secs(sent)} while nothing it needs was cut off${lastEnd ? ` (last heal at ${secs(lastEnd.t)})` : ''}`,
          evidence: [a.seq, ...(lastEnd ? [lastEnd.seq] : [])],
        });
      }
      // Recovery: after the last heal (every impairment ended), a healthy answer within recoverMs.
      if (mine.length === 0 || mine.some((w) => !w.end)) continue;
      const heal = mine.reduce((x, w) => ((w.end as HistoryEvent).t > (x.end as HistoryEvent).t ? w : x)).end as HistoryEvent;
      const after = list.filter((a) => sentAt(a) >= heal.t);
      const last = after.at(-1);
      if (!last || sentAt(last) - heal.t < recoverMs) continue; // the probe stopped asking too soon to judge
      const back = after.find((a) => healthy((a.data as unknown as HealthAnswerData).status));
      const waited = back ? sentAt(back) - heal.t : Number.POSITIVE_INFINITY;
      stats.recoveries++;
      if (waited <= recoverMs) {
        stats.recoveryMs = Math.max(stats.recoveryMs, Math.round(waited));
        continue;
      }
      stats.notRecovered++;
      const stuck = after.filter((a) => sentAt(a) - heal.t <= recoverMs).at(-1) ?? last;
      const sd = stuck.data as unknown as HealthAnswerData;
      violations.push({
        t: stuck.t,
        instance: inst,
        message: `${inst}'s health endpoint still answered ${sd.status} ${JSON.stringify(sd.body.slice(0, 80))} ${Math.round(sentAt(stuck) - heal.t)} ms after the last heal at ${secs(heal.t)} (bound ${recoverMs} ms)${back ? `; healthy again only after ${Math.round(waited)} ms` : '; never healthy again'}`,
        evidence: [stuck.seq, heal.seq],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.judgedInside + stats.judgedStopping === 0)
      return unknown(
        `no health answer was sent while ${[...channels].join(', ')} had been cut off for ${detectMs} ms, nor while the bot was stopping: the endpoint was not asked when it mattered`,
        stats,
      );
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.judgedInside} answer(s) during ${stats.impairments} impairment(s) and ${stats.judgedStopping} during ${stats.stops} stop(s) all said unhealthy; ${stats.recoveries} recovery(ies) judged, healthy again after ${stats.recoveryMs} ms at most (bound ${recoverMs} ms); no false alarm in ${stats.answers} answers`,
      ],
      stats,
    };
  },
};
