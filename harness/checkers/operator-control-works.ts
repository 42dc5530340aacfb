import type { HistoryEvent } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const NO_KEY_403 = '001_0474a2fd1532b929.txt#H5';
const OPS_OFF = '001_0474a2fd1532b929.txt#enable-ops-defaults-to-false-for-live-trading';
/** control-api-halt's request timeout: its answer is recorded at most this long after it was sent. */
const REQUEST_MS = 3000;

/**
 * The operator can control the running bot as it is configured out of the box: an authorised
 * POST /halt through the control API the bot publishes (`control-api-halt`: the URL and token from
 * the control file the bot writes in STATE_DIR) is accepted and the bot halts. A live bot started
 * without an API key whose control endpoints then answer 403 to everyone
 * (001_0474a2fd1532b929.txt#H5: "POST returns 403 silently"), or whose operations API is off unless
 * enabled (001_0474a2fd1532b929.txt#enable-ops-defaults-to-false-for-live-trading), runs with no
 * runtime control: the operator finds out when they need it.
 *
 * Per control-api-halt attempt of an instance: its answer (`fault control.halt` {status}) must be
 * 2xx and a `probe halt` of the instance must come while the request runs or within haltWithinMs
 * (default 2000) of the answer; a fault
 * that could not even reach the API (`fault.error` of a control-api-halt: no control file, no
 * answer) fails the same way. Evidence: [the answer or the error, the fault.start].
 *
 * Unknown when no control-api-halt was attempted.
 */
export const operatorControlWorks: Checker = {
  name: 'operator-control-works',
  description: 'An authorised operator halt through the control API the bot publishes is accepted and halts the bot (runtime control is on by default)',
  findings: [NO_KEY_403, OPS_OFF],
  requires: ['control-api', 'probes'],
  check(history, ctx): CheckResult {
    const haltWithinMs = numberOption(ctx.options, 'haltWithinMs', 2000);
    const stats = { attempts: 0, accepted: 0, halted: 0 };
    const violations: Violation[] = [];
    const starts = new Map<string, HistoryEvent>();
    const end = history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0;
    const fail = (e: HistoryEvent, why: string) => {
      const start = starts.get(String((e.data as { id?: unknown }).id));
      // 001_0474a2fd1532b929.txt#H5 / #enable-ops-defaults-to-false-for-live-trading: no runtime control.
      violations.push({
        t: e.t,
        ...(e.instance ? { instance: e.instance } : {}),
        message: `${e.instance ?? 'the bot'}: the operator's halt ${why}: the bot runs without runtime control`,
        evidence: [e.seq, ...(start ? [start.seq] : [])],
      });
    };
    history.forEach((e) => {
      if (e.src !== 'fault') return;
      const d = e.data as { id?: unknown; kind?: unknown; status?: unknown; body?: unknown; error?: unknown };
      if (e.type === 'fault.start' && d.kind === 'control-api-halt') starts.set(String(d.id), e);
      if (e.type === 'fault.error' && d.kind === 'control-api-halt') {
        stats.attempts++;
        fail(e, `could not reach its control API (${String(d.error ?? 'error').slice(0, 120)})`);
      }
      if (e.type !== 'control.halt') return;
      stats.attempts++;
      const status = Number(d.status);
      if (!(status >= 200 && status < 300)) {
        fail(e, `was refused with HTTP ${status} (${String(d.body ?? '').slice(0, 80)})`);
        return;
      }
      stats.accepted++;
      // The bot may halt while it handles the request, before the answer is recorded: look from when
      // the request could have been sent (REQUEST_MS before the answer) to haltWithinMs after it.
      const halt = history.find(
        (x) =>
          x.t >= e.t - REQUEST_MS &&
          x.t <= e.t + haltWithinMs &&
          x.instance === e.instance &&
          x.src === 'target' &&
          x.type === 'probe' &&
          (x.data as { probe?: unknown }).probe === 'halt',
      );
      if (halt) stats.halted++;
      else if (end > e.t + haltWithinMs) fail(e, `was accepted (HTTP ${status}) but the bot did not halt within ${haltWithinMs} ms`);
    });
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.attempts === 0) return unknown('no operator halt was attempted (control-api-halt): not exercised', stats);
    if (stats.halted === 0) return unknown(`the run ended less than ${haltWithinMs} ms after the operator's halt: not judged`, stats);
    return { valid: true, violations: [], notes: [`${stats.halted} operator halt(s) accepted and obeyed`], stats };
  },
};
