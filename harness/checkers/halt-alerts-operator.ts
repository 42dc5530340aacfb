import type { HistoryEvent } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const ALERT_FROM_KILL_SWITCH_THREAD = '001_0474a2fd1532b929.txt#H4';
const ALERT_ASYNC_BROKEN = '001_0474a2fd1532b929.txt#C6';
const ALERTS_DROPPED_AT_EXIT = '000_2ae31cbfe79758d1.txt#E-M6';

const probe = (e: HistoryEvent, name: string) => e.src === 'target' && e.type === 'probe' && (e.data as { probe?: unknown }).probe === name;

/** An alert about a halt: kind "halt", or a text that speaks of a halt or the kill switch. */
function aboutHalt(e: HistoryEvent): boolean {
  const d = e.data as { kind?: unknown; text?: unknown };
  return d.kind === 'halt' || /halt|kill/i.test(String(d.text ?? ''));
}

/**
 * A halt reaches the operator: every `probe halt` of an instance (kill switch, breaker, clock)
 * is followed within alertMs by an `probe alert` of the same instance about it (kind "halt", or
 * a text naming the halt or kill switch). The alert probe is the alert sink the harness records;
 * a target declares it with the capability `alerts`.
 * - 001_0474a2fd1532b929.txt#H4: alert delivery from the kill-switch thread was broken, so a
 *   kill-switch halt reached nobody;
 * - 001_0474a2fd1532b929.txt#C6: the AlertManager's get_event_loop() from a thread dropped the
 *   alerts (Python 3.12+).
 * - 000_2ae31cbfe79758d1.txt#E-M6: the alert worker had no graceful shutdown, so alerts still
 *   queued when the process exits are dropped: a halt followed at once by a stop request
 *   (process-signal fired on `probe.halt`) must still be alerted before the bot exits.
 * Evidence: the halt, then the fault that caused it when one is recorded just before
 * (`fault kill-file.written` / `fault.start` of the instance), then the stop request
 * (`fault process.signal`) when one came within alertMs after the halt.
 *
 * Unknown when no halt happened, or when every halt came less than alertMs before the end of the
 * history (no time to alert). Options: alertMs (default 2000).
 */
export const haltAlertsOperator: Checker = {
  name: 'halt-alerts-operator',
  description: 'Every halt of the bot is alerted to the operator (an alert reaches the alert sink within alertMs)',
  findings: [ALERT_FROM_KILL_SWITCH_THREAD, ALERT_ASYNC_BROKEN, ALERTS_DROPPED_AT_EXIT],
  requires: ['alerts'],
  check(history, ctx): CheckResult {
    const alertMs = numberOption(ctx.options, 'alertMs', 2000);
    const end = history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0;
    const stats = { halts: 0, alerted: 0, unjudged: 0, alerts: 0 };
    const halts: HistoryEvent[] = [];
    const alerts: HistoryEvent[] = [];
    const causes: HistoryEvent[] = [];
    const stops: HistoryEvent[] = [];
    for (const e of history) {
      if (probe(e, 'halt')) halts.push(e);
      else if (probe(e, 'alert')) alerts.push(e);
      else if (e.src === 'fault' && e.type === 'process.signal') stops.push(e);
      else if (e.src === 'fault' && (e.type === 'kill-file.written' || e.type === 'fault.start')) causes.push(e);
    }
    stats.halts = halts.length;
    stats.alerts = alerts.length;
    if (halts.length === 0) return unknown('the bot never halted (no halt probe): nothing to alert', stats);
    const violations: Violation[] = [];
    for (const h of halts) {
      const alert = alerts.find((a) => a.instance === h.instance && a.t >= h.t && a.t <= h.t + alertMs && aboutHalt(a));
      if (alert) {
        stats.alerted++;
        continue;
      }
      if (h.t + alertMs > end) {
        stats.unjudged++;
        continue;
      }
      // 001_0474a2fd1532b929.txt#H4 / #C6: the halt happened, the operator was never told.
      const before = [...causes].reverse().filter((c) => c.t <= h.t && (c.instance === undefined || c.instance === h.instance));
      const cause = before.find((c) => c.type === 'kill-file.written') ?? before[0];
      const reason = String((h.data as { reason?: unknown }).reason ?? 'unknown reason');
      // 000_2ae31cbfe79758d1.txt#E-M6: asked to stop right after the halt, the bot exited with the alert still queued.
      const stop = stops.find((x) => x.instance === h.instance && x.t >= h.t && x.t <= h.t + alertMs);
      const cited = stop ? `[${ALERTS_DROPPED_AT_EXIT}]` : `[${ALERT_FROM_KILL_SWITCH_THREAD}, ${ALERT_ASYNC_BROKEN}]`;
      const stopped = stop
        ? `; it was asked to stop (${String((stop.data as { signal?: unknown }).signal)}) ${Math.round(stop.t - h.t)} ms after the halt`
        : '';
      violations.push({
        t: h.t,
        ...(h.instance !== undefined ? { instance: h.instance } : {}),
        message: `${h.instance ?? 'the bot'} halted (${reason}) and no alert about it reached the alert sink within ${alertMs} ms${stopped} ${cited}`,
        evidence: [h.seq, ...(cause ? [cause.seq] : []), ...(stop ? [stop.seq] : [])],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.alerted === 0) return unknown(`every halt came less than ${alertMs} ms before the end of the run: not judged`, stats);
    return { valid: true, violations: [], notes: [`${stats.alerted} of ${stats.halts} halt(s) alerted within ${alertMs} ms`], stats };
  },
};
