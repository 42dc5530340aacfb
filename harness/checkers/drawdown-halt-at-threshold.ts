import type { HistoryEvent, HttpRequestData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const PNL_PEAK = '001_0474a2fd1532b929.txt#M6';
const PEAK_NEVER_RESET = '000_2ae31cbfe79758d1.txt#E-M11';
const WRONG_FIELDS = '003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade';
const BALANCE_PATHS = new Set(['/fapi/v2/balance', '/fapi/v3/balance']);

interface Reading {
  e: HistoryEvent;
  equity: number;
  drawdownPct: number;
  peak: number;
}

const isHalt = (e: HistoryEvent, reason: string) =>
  e.src === 'target' &&
  e.type === 'probe' &&
  (e.data as { probe?: unknown }).probe === 'halt' &&
  String((e.data as { reason?: unknown }).reason ?? '').includes(reason);
const isResume = (e: HistoryEvent, reason: string) =>
  e.src === 'target' &&
  e.type === 'probe' &&
  (e.data as { probe?: unknown }).probe === 'resume' &&
  String((e.data as { reason?: unknown }).reason ?? '').includes(reason);

/**
 * The drawdown kill switch fires on the account's drawdown at the configured threshold, and only
 * then. The equity the bot reads is known exactly: every balance answer the venue gives records
 * its USDT balance + unrealized PnL (`venue http.request` {equityUsdt}), and a glitched answer is
 * recorded by its fault (`fault balance.glitched` {balanceUsdt}). Per instance, over its readings in
 * order: peak = the highest reading so far, drawdown = (peak - reading) / peak. Rules
 * (thresholdPct: the bot's configured limit; confirmations: how many consecutive readings beyond it
 * the bot's documented rule needs, default 2):
 * - once `confirmations` consecutive readings exceed thresholdPct, the bot halts for drawdown (a
 *   `probe halt` whose reason contains haltReason, default "drawdown") within haltWithinMs (default
 *   2500) of the confirming reading, unless such a halt is already in force;
 * - a drawdown halt while fewer than `confirmations` of the latest readings exceed thresholdPct is
 *   a false halt: the bot measured something else than the account's drawdown from its peak.
 * Encodes 001_0474a2fd1532b929.txt#M6 (drawdown measured against the PnL peak, not the account
 * balance: it fires at the wrong account drawdown, early or late) and 000_2ae31cbfe79758d1.txt#E-M11
 * (the equity peak is never reset except by clearing the kill switch: after a drawdown, a recovery
 * and a small pullback it fires when the rule says it must not, or the reverse). A restart (target
 * start) clears the consecutive count and the halt in force (the bot re-reads). Also encodes
 * 003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade (one endpoint called,
 * another's fields parsed, "often zero"): a guard whose balance reads as 0 (or as any figure that
 * is not the account's equity) misses the confirmed breach, or halts on none. Evidence: [the
 * confirming reading or the false halt, the peak reading].
 *
 * Unknown without thresholdPct, without balance readings, or when no reading crossed the threshold
 * and the bot never halted for drawdown (neither rule exercised).
 */
export const drawdownHaltAtThreshold: Checker = {
  name: 'drawdown-halt-at-threshold',
  description: 'The drawdown kill switch halts when the account equity (balance + unrealized PnL) has fallen thresholdPct from its peak, and only then',
  findings: [PNL_PEAK, PEAK_NEVER_RESET, WRONG_FIELDS],
  requires: ['probes'],
  check(history, ctx): CheckResult {
    const stats = { readings: 0, breaches: 0, confirmed: 0, halts: 0, missedHalts: 0, falseHalts: 0 };
    if (typeof ctx.options.thresholdPct !== 'number') return unknown('no thresholdPct option: the bot’s configured drawdown limit is not known', stats);
    const threshold = numberOption(ctx.options, 'thresholdPct', 0);
    const confirmations = numberOption(ctx.options, 'confirmations', 2);
    const haltWithinMs = numberOption(ctx.options, 'haltWithinMs', 2500);
    const reason = String(ctx.options.haltReason ?? 'drawdown');
    const violations: Violation[] = [];
    const state = new Map<string, { peak?: Reading; recent: Reading[]; halted: boolean; due?: Reading }>();
    const of = (inst: string) => {
      let s = state.get(inst);
      if (!s) {
        s = { recent: [], halted: false };
        state.set(inst, s);
      }
      return s;
    };
    const missed = (inst: string, due: Reading, peak: Reading | undefined) => {
      stats.missedHalts++;
      // 001_0474a2fd1532b929.txt#M6 / 000_2ae31cbfe79758d1.txt#E-M11: the account is down thresholdPct and the switch stays open.
      violations.push({
        t: due.e.t,
        instance: inst,
        message: `${inst}'s equity fell to ${due.equity.toFixed(2)} USDT, ${due.drawdownPct.toFixed(2)} % below its peak ${due.peak.toFixed(2)} for ${confirmations} reading(s) in a row (limit ${threshold} %), and it did not halt within ${haltWithinMs} ms`,
        evidence: [due.e.seq, ...(peak ? [peak.e.seq] : [])],
      });
    };

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      const s = of(inst);
      if (s.due && e.t > s.due.e.t + haltWithinMs) {
        missed(inst, s.due, s.peak);
        s.due = undefined;
      }
      let equity: number | undefined;
      if (e.src === 'fault' && e.type === 'balance.glitched') equity = Number((e.data as { balanceUsdt?: unknown }).balanceUsdt);
      else if (e.src === 'venue' && e.type === 'http.request') {
        const d = e.data as HttpRequestData;
        if (d.method === 'GET' && d.status === 200 && BALANCE_PATHS.has(d.path) && typeof d.equityUsdt === 'number') equity = d.equityUsdt;
      } else if (e.src === 'target' && e.type === 'target.start') {
        s.recent = [];
        s.halted = false;
        s.due = undefined;
        continue;
      } else if (isHalt(e, reason)) {
        stats.halts++;
        const beyond = s.recent.slice(-confirmations).filter((r) => r.drawdownPct > threshold).length;
        const restored = (e.data as { restored?: unknown }).restored === true; // a halt carried over a restart
        if (!s.halted && !restored && beyond < Math.min(confirmations, Math.max(1, s.recent.length))) {
          stats.falseHalts++;
          const last = s.recent.at(-1);
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} halted for drawdown while its latest reading was ${last ? `${last.drawdownPct.toFixed(2)} % below its peak ${last.peak.toFixed(2)} USDT` : 'not yet taken'} (limit ${threshold} %, ${beyond} of the last ${confirmations} reading(s) beyond it): not the account's drawdown`,
            evidence: [e.seq, ...(last ? [last.e.seq] : []), ...(s.peak ? [s.peak.e.seq] : [])],
          });
        }
        s.halted = true;
        s.due = undefined;
        continue;
      } else if (isResume(e, reason)) {
        s.halted = false;
        continue;
      }
      if (equity === undefined || !Number.isFinite(equity)) continue;
      stats.readings++;
      const peakEquity = Math.max(equity, s.peak?.equity ?? Number.NEGATIVE_INFINITY);
      const r: Reading = { e, equity, peak: peakEquity, drawdownPct: peakEquity > 0 ? ((peakEquity - equity) / peakEquity) * 100 : 0 };
      if (!s.peak || equity > s.peak.equity) s.peak = r;
      s.recent.push(r);
      if (s.recent.length > 50) s.recent.shift();
      if (r.drawdownPct > threshold) stats.breaches++;
      const run = s.recent.slice(-confirmations);
      if (run.length === confirmations && run.every((x) => x.drawdownPct > threshold) && !s.halted && !s.due) {
        stats.confirmed++;
        s.due = r;
      }
    }
    const end = history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0;
    for (const [inst, s] of state) if (s.due && end > s.due.e.t + haltWithinMs) missed(inst, s.due, s.peak);
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.readings === 0) return unknown('the bot read no balance: its equity is not known', stats);
    if (stats.confirmed === 0 && stats.halts === 0)
      return unknown(`no reading went ${threshold} % below the peak and the bot never halted for drawdown: not exercised`, stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.readings} equity reading(s); ${stats.confirmed} confirmed breach(es) of ${threshold} %, each halted in time; no halt without one`],
      stats,
    };
  },
};
