import type { HttpRequestData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const SINGLE_READING = '001_0474a2fd1532b929.txt#M20';
const BALANCE_PATHS = new Set(['/fapi/v2/balance', '/fapi/v3/balance']);

/**
 * A kill switch fed by account readings fires only on a confirmed breach: a halt must not follow
 * fewer than `confirmations` (default 2) anomalous readings in a row.
 *
 * Readings are the instance's balance reads answered 200 (`venue http.request` GET
 * /fapi/v2|v3/balance). A reading is anomalous when the `account-balance-glitch` fault answered it
 * (`fault balance.glitched`, recorded just before the request's http.request); any other reading
 * resets the run of anomalous ones. The check assumes the account's real balance stays within the
 * bot's limit during the run (true for short runs with the default limits), so a halt probe with a
 * reason in `reasons` (default "drawdown") right after a run of 1..confirmations-1 anomalous readings
 * was caused by them: 001_0474a2fd1532b929.txt#M20, a single transient metric trips the
 * (irreversible) kill switch. Evidence [halt probe, the anomalous readings' fault events].
 *
 * A halt after `confirmations` or more anomalous readings, or after a healthy one, is not judged.
 * Unknown when no reading was anomalous (the fault never took effect) or the instances read no
 * balance at all.
 */
export const haltNeedsConfirmation: Checker = {
  name: 'halt-needs-confirmation',
  description: 'A kill switch fed by balance readings does not fire on fewer than `confirmations` anomalous readings in a row',
  findings: [SINGLE_READING],
  requires: ['probes'],
  check(history, ctx): CheckResult {
    const confirmations = numberOption(ctx.options, 'confirmations', 2);
    const raw = ctx.options.reasons;
    const reasons = new Set(Array.isArray(raw) ? raw.map(String) : ['drawdown']);
    const violations: Violation[] = [];
    const stats = { readings: 0, anomalous: 0, halts: 0, haltsOnShortRun: 0, haltsConfirmed: 0, haltsNotJudged: 0 };
    /** Per instance: the glitch event waiting for its http.request, and the current run of anomalous readings. */
    const pending = new Map<string, number>();
    const runs = new Map<string, number[]>();

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'fault' && e.type === 'balance.glitched') {
        pending.set(inst, e.seq);
        continue;
      }
      if (e.src === 'venue' && e.type === 'http.request') {
        const d = e.data as HttpRequestData;
        if (d.method !== 'GET' || d.status !== 200 || !BALANCE_PATHS.has(d.path)) continue;
        stats.readings++;
        const glitch = pending.get(inst);
        pending.delete(inst);
        if (glitch === undefined) {
          runs.set(inst, []);
          continue;
        }
        stats.anomalous++;
        runs.set(inst, [...(runs.get(inst) ?? []), glitch]);
        continue;
      }
      if (e.src !== 'target' || e.type !== 'probe') continue;
      const d = e.data as { probe?: unknown; reason?: unknown };
      if (d.probe !== 'halt' || typeof d.reason !== 'string' || !reasons.has(d.reason)) continue;
      stats.halts++;
      const run = runs.get(inst) ?? [];
      if (run.length === 0) {
        stats.haltsNotJudged++;
        continue;
      }
      if (run.length >= confirmations) {
        stats.haltsConfirmed++;
        continue;
      }
      stats.haltsOnShortRun++;
      // 001_0474a2fd1532b929.txt#M20: the kill switch fired on fewer anomalous readings than its rule needs.
      violations.push({
        t: e.t,
        instance: inst,
        message:
          `${inst} halted (${d.reason}) right after ${run.length} anomalous balance reading(s) in a row; ` +
          `a kill switch must not fire on fewer than ${confirmations} consecutive readings`,
        evidence: [e.seq, ...run],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.readings === 0) return unknown('no balance reading at all: the kill switch’s input was never read', stats);
    if (stats.anomalous === 0) return unknown('no balance reading was anomalous (account-balance-glitch never took effect)', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.anomalous} anomalous of ${stats.readings} balance reading(s); ${stats.halts} halt(s), none on fewer than ${confirmations} in a row`],
      stats,
    };
  },
};
