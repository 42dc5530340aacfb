import type { HistoryEvent, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const RETRY_BYPASS = '001_0474a2fd1532b929.txt#M1';
const NOT_PERSISTED = '001_0474a2fd1532b929.txt#M9';
const COOLDOWN_LOST = '004_8a8a9a4995486b8f.txt#H-PORT-02';
const FILL_PATH_IGNORES_PAUSE = '001_0474a2fd1532b929.txt#on-order-filled-checks-critical-error-but-not';
const START_FAILURE = '001_0474a2fd1532b929.txt#C5';
const OVERRIDE_NOT_PERSISTED = '002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted';

/** What put an instance in a halt: its own halt probe, or the operator's kill file (fault). */
interface Halt {
  seq: number;
  t: number;
  reason: string;
  /** Set by an early resume (before minHaltMs): the halt still holds until then. */
  holdsUntil?: number;
  resumeSeq?: number;
}

interface KillFile {
  seq: number;
  t: number;
  instance: string;
  id: string;
  ended: boolean;
}

/**
 * Once an instance is halted, none of its order paths opens risk until it resumes, and a restart
 * does not resume it.
 *
 * An instance is halted from its `{"probe":"halt","reason":r}` until its `{"probe":"resume","reason":r}`
 * (a resume without a reason ends every halt), across restarts: a new process of the instance
 * (`target target.start`) does not end a halt; only the bot saying resume does. An operator kill
 * file (`kill-switch-file` fault) halts its instance from its fault.start + reactMs (the bot's
 * time to notice the file) until its fault.end (file removed); the bot's own halt then lasts until
 * its resume. With minHaltMs > 0, a resume earlier than minHaltMs after the halt began does not
 * count before halt + minHaltMs (the cooldown).
 *
 * Every risk-increasing `venue order.new` (position.ts increasesRisk; reduce-only exits are
 * always fine) of a halted instance is a violation, evidence [order.new, halt probe or kill-file
 * fault.start (, early resume)]. Decided findings:
 * - 001_0474a2fd1532b929.txt#M1: an order path that skips the gate (the retry timer's re-send)
 *   places an order while halted;
 * - 001_0474a2fd1532b929.txt#on-order-filled-checks-critical-error-but-not: the fill callback
 *   checks the critical-error flag but not the pause, so fills arriving after an operator pause
 *   place new risk (a pause while an order is still filling);
 * - 001_0474a2fd1532b929.txt#M9: a halt kept in memory only: the restarted process trades with no
 *   resume, before the protection's cooldown is over;
 * - 004_8a8a9a4995486b8f.txt#H-PORT-02: cooldowns lost across a restart (the cooldown dict changed
 *   while save_state read it): same observation, a kill during the cooldown and a restarted process
 *   that trades before it is over;
 * - 001_0474a2fd1532b929.txt#C5: a kill switch that fails to start after a restart (its halt state
 *   unreadable) and is skipped: the bot trades on while the halt it held is in force.
 * - 002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted: an operator's runtime halt (control
 *   API POST /halt, fault control-api-halt) kept in memory only: the restarted process trades with
 *   no resume while the override is in force.
 * An order decided before the halt is not judged: its last `order`/`intent` probe (same
 * clientOrderId) came before the halt event and at most inFlightMs before the venue took it.
 *
 * Unknown when no halt happened (no halt probe, no kill file) or the instances sent no
 * risk-increasing order at all (nothing shows that the gate was needed).
 *
 * Options: reactMs (default 1000), inFlightMs (default 1000), minHaltMs (default 0).
 */
export const haltGatesAllOrders: Checker = {
  name: 'halt-gates-all-orders',
  description: 'After a halt (halt probe or operator kill file) no order path opens risk until the bot resumes, also across restarts',
  findings: [RETRY_BYPASS, FILL_PATH_IGNORES_PAUSE, NOT_PERSISTED, COOLDOWN_LOST, START_FAILURE, OVERRIDE_NOT_PERSISTED],
  requires: ['rest-orders', 'probes'],
  check(history, ctx): CheckResult {
    const reactMs = numberOption(ctx.options, 'reactMs', 1000);
    const inFlightMs = numberOption(ctx.options, 'inFlightMs', 1000);
    const minHaltMs = numberOption(ctx.options, 'minHaltMs', 0);
    const violations: Violation[] = [];
    const stats = {
      halts: 0,
      killFiles: 0,
      resumes: 0,
      earlyResumes: 0,
      restartsWhileHalted: 0,
      riskOrders: 0,
      riskWhileHalted: 0,
      exitsWhileHalted: 0,
      decidedBeforeHalt: 0,
    };

    const instances = new Set<string>();
    for (const e of history) if (e.instance !== undefined && e.instance !== 'all') instances.add(e.instance);
    const halts = new Map<string, Map<string, Halt>>();
    const killFiles: KillFile[] = [];
    /** Last order/intent probe per instance and clientOrderId: when the bot decided to send it. */
    const decided = new Map<string, HistoryEvent>();

    const haltsOf = (inst: string): Map<string, Halt> => {
      const m = halts.get(inst) ?? new Map<string, Halt>();
      halts.set(inst, m);
      return m;
    };
    /** Halts in force for an instance at time t (early-resumed ones until their hold ends). */
    const inForce = (inst: string, t: number): Halt[] => {
      const out: Halt[] = [];
      for (const [reason, h] of haltsOf(inst)) {
        if (h.holdsUntil !== undefined && t >= h.holdsUntil) haltsOf(inst).delete(reason);
        else out.push(h);
      }
      for (const k of killFiles) if (k.instance === inst && !k.ended && t >= k.t + reactMs) out.push({ seq: k.seq, t: k.t, reason: 'kill-file (fault)' });
      return out;
    };

    for (const e of history) {
      const inst = e.instance;
      if (e.src === 'fault') {
        const d = e.data as { id?: unknown; kind?: unknown };
        if (e.type === 'fault.start' && d.kind === 'kill-switch-file' && inst !== undefined) {
          stats.killFiles++;
          for (const i of inst === 'all' ? instances : [inst]) killFiles.push({ seq: e.seq, t: e.t, instance: i, id: String(d.id), ended: false });
        } else if (e.type === 'fault.end' && d.kind === 'kill-switch-file') {
          for (const k of killFiles) if (k.id === String(d.id)) k.ended = true;
        }
        continue;
      }
      if (inst === undefined) continue;
      if (e.src === 'target' && e.type === 'target.start') {
        if (inForce(inst, e.t).length > 0) stats.restartsWhileHalted++;
        continue;
      }
      if (e.src === 'target' && e.type === 'probe') {
        const d = e.data as { probe?: unknown; reason?: unknown; clientOrderId?: unknown };
        if ((d.probe === 'order' || d.probe === 'intent') && typeof d.clientOrderId === 'string') {
          decided.set(`${inst}/${d.clientOrderId}`, e);
        } else if (d.probe === 'halt') {
          const reason = typeof d.reason === 'string' ? d.reason : 'unspecified';
          const m = haltsOf(inst);
          const h = m.get(reason);
          // A repeated halt (e.g. restored after a restart) continues the one in force.
          if (!h || h.holdsUntil !== undefined) {
            m.set(reason, { seq: e.seq, t: e.t, reason });
            stats.halts++;
          }
        } else if (d.probe === 'resume') {
          const m = haltsOf(inst);
          const ended = typeof d.reason === 'string' ? [d.reason] : [...m.keys()];
          for (const r of ended) {
            const h = m.get(r);
            if (!h || h.holdsUntil !== undefined) continue;
            stats.resumes++;
            if (e.t - h.t < minHaltMs) {
              stats.earlyResumes++;
              h.holdsUntil = h.t + minHaltMs;
              h.resumeSeq = e.seq;
            } else {
              m.delete(r);
            }
          }
        }
        continue;
      }
      if (e.src !== 'venue' || e.type !== 'order.new') continue;
      const o = e.data as unknown as OrderNewData;
      const risk = increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly);
      if (risk) stats.riskOrders++;
      const active = inForce(inst, e.t);
      if (active.length === 0) continue;
      if (!risk) {
        stats.exitsWhileHalted++;
        continue;
      }
      const dec = decided.get(`${inst}/${o.clientOrderId}`);
      const judged = active.filter((h) => !(dec !== undefined && dec.seq < h.seq && e.t - dec.t <= inFlightMs));
      if (judged.length === 0) {
        stats.decidedBeforeHalt++;
        continue;
      }
      const h = judged[0] as Halt;
      stats.riskWhileHalted++;
      // 001_0474a2fd1532b929.txt#M1 (a path that skips the gate), #M9 (a restart that forgets the
      // halt), #C5 (a restart whose kill switch failed to start) and
      // 002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted (a restart that drops the operator's
      // runtime halt) all end here: a risk-increasing order of a halted instance.
      const since = h.reason === 'kill-file (fault)' ? 'the operator’s kill file was written' : `it printed halt (${h.reason})`;
      const early = h.resumeSeq !== undefined ? `; its resume came before the ${minHaltMs} ms cooldown` : '';
      const restarted = history.some((x) => x.instance === inst && x.type === 'target.start' && x.seq > h.seq && x.seq < e.seq);
      violations.push({
        t: e.t,
        instance: inst,
        message:
          `${inst} had risk-increasing ${o.side} ${o.qty} ${o.symbol} (${o.type}; position ${o.positionBefore} before) accepted ` +
          `${Math.round(e.t - h.t)} ms after ${since}, without resuming${early}${restarted ? ' (it was restarted in between)' : ''}`,
        evidence: h.resumeSeq !== undefined ? [e.seq, h.seq, h.resumeSeq] : [e.seq, h.seq],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.halts === 0 && stats.killFiles === 0) return unknown('no halt happened (no halt probe, no kill file): the invariant was not exercised', stats);
    if (stats.riskOrders === 0) return unknown('no risk-increasing order at all: nothing shows the halt gate was needed', stats);
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.halts} halt(s), ${stats.killFiles} kill file(s), ${stats.restartsWhileHalted} restart(s) while halted: ` +
          `no risk-increasing order while halted (${stats.riskOrders} in all, ${stats.exitsWhileHalted} exit(s) while halted)`,
      ],
      stats,
    };
  },
};
