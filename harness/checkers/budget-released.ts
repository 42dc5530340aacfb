import type { FaultData, HistoryEvent, MarketTickData, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const PENDING_INTENTS_LEAK = '004_8a8a9a4995486b8f.txt#H-ENG-01';
const STALE_RESERVATIONS = '004_8a8a9a4995486b8f.txt#H-PORT-06';

/** Fault kinds that refuse the bot's new orders for a while. */
const REFUSING_KINDS = new Set(['rest-error', 'order-reject', 'rest-rate-limit']);

function refusesOrders(d: FaultData): boolean {
  if (!REFUSING_KINDS.has(d.kind)) return false;
  const p = d.params as { path?: unknown; method?: unknown };
  if (d.kind === 'order-reject') return true;
  return p.path === undefined || (String(p.path) === '/fapi/v1/order' && (p.method === undefined || p.method === 'POST'));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Opening {
  e: HistoryEvent;
  notional: number;
}

/**
 * Budget reserved for orders that failed is released: once a spell of refused orders is over, the
 * bot opens positions at its usual size again. A bot that reserves budget per order intent and
 * never releases the reservation when the order fails (004_8a8a9a4995486b8f.txt#H-ENG-01: unbounded
 * pending_buy_intents, never cleaned on failure; #H-PORT-06: stale reservations not released) has
 * less and less to spend: after the failures it opens smaller positions, or none.
 *
 * Per instance: the baseline is the median notional (quantity x the market mid just before) of its
 * risk-increasing orders (venue `order.new` that grow or flip the position) before the first fault
 * that refuses new orders (rest-error on POST /fapi/v1/order, order-reject, rest-rate-limit). The
 * bot must have run into the refusals (a venue `order.reject` or a POST /fapi/v1/order answered
 * >= 400 during a fault). After the last such fault healed, its first risk-increasing order must
 * come within resumeWithinMs (default 6000) and be at least minSizePct (default 50) % of the
 * baseline notional. A halt the bot declares (probe halt ... resume, e.g. a circuit breaker that
 * tripped on the refusals) pauses that clock: the deadline runs from its resume. Evidence: [the
 * first opening order after the heal (or the window end), the last refused order, the heal's
 * fault.end].
 *
 * Unknown when no fault refused orders, the instance opened no position before it, never ran into
 * the refusals, sent no order at all after the heal (stuck: loop-never-stalls' resumeWithinMs judges
 * that), or the window left less than resumeWithinMs after the heal (or the resume).
 */
export const budgetReleased: Checker = {
  name: 'budget-released',
  description: 'After a spell of refused orders the bot opens positions at its usual size again (reservations of failed orders released)',
  findings: [PENDING_INTENTS_LEAK, STALE_RESERVATIONS],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const resumeWithinMs = numberOption(ctx.options, 'resumeWithinMs', 6000);
    const minSizePct = numberOption(ctx.options, 'minSizePct', 50);
    const stats = { instances: 0, judged: 0, refused: 0, smaller: 0, notResumed: 0, stuck: 0 };
    const mids = new Map<string, number>();
    const faults = new Map<string, HistoryEvent>(); // id -> start of a refusing fault
    const firstStart = new Map<string, number>(); // instance -> t of its first refusing fault
    const lastEnd = new Map<string, HistoryEvent>();
    const active = new Map<string, number>(); // instance -> active refusing faults
    const before = new Map<string, Opening[]>();
    const after = new Map<string, Opening>();
    const anyOrderAfter = new Set<string>(); // instances that sent any order (an exit too) after the last heal
    const lastRefusal = new Map<string, HistoryEvent>();
    const halts = new Map<string, { from: number; to: number }[]>();
    let windowEnd: number | undefined;
    const instancesOf = (f: HistoryEvent, all: Iterable<string>) => (f.instance === undefined || f.instance === 'all' ? [...all] : [f.instance]);
    const known = new Set<string>();

    for (const e of history) {
      if (e.instance !== undefined && e.instance !== 'all' && e.src !== 'fault') known.add(e.instance);
      if (e.src === 'harness' && e.type === 'scenario.window.end') windowEnd = e.t;
      if (e.src === 'market' && e.type === 'tick') {
        const d = e.data as MarketTickData;
        mids.set(d.symbol, Number(d.mid));
        continue;
      }
      if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
        const d = e.data as FaultData;
        if (e.type === 'fault.start' && refusesOrders(d)) {
          faults.set(d.id, e);
          for (const inst of instancesOf(e, known)) {
            if (!firstStart.has(inst)) firstStart.set(inst, e.t);
            active.set(inst, (active.get(inst) ?? 0) + 1);
          }
        } else if (e.type === 'fault.end' && faults.has(d.id)) {
          for (const inst of instancesOf(faults.get(d.id) as HistoryEvent, known)) {
            active.set(inst, Math.max(0, (active.get(inst) ?? 0) - 1));
            lastEnd.set(inst, e);
            after.delete(inst); // only openings after the last heal count
            anyOrderAfter.delete(inst);
          }
        }
        continue;
      }
      if (e.src === 'target' && e.type === 'probe' && e.instance !== undefined) {
        const probe = (e.data as { probe?: unknown }).probe;
        const list = halts.get(e.instance) ?? [];
        const open = list.at(-1);
        if (probe === 'halt' && (open === undefined || open.to !== Number.POSITIVE_INFINITY)) list.push({ from: e.t, to: Number.POSITIVE_INFINITY });
        else if (probe === 'resume' && open !== undefined && open.to === Number.POSITIVE_INFINITY) open.to = e.t;
        halts.set(e.instance, list);
        continue;
      }
      if (e.src !== 'venue' || e.instance === undefined) continue;
      // What the bot does after the window (its shutdown: exits on SIGTERM) is not trading.
      if (windowEnd !== undefined) continue;
      const inst = e.instance;
      const refused =
        e.type === 'order.reject' ||
        (e.type === 'http.request' &&
          (e.data as { path?: string; method?: string; status?: number }).path === '/fapi/v1/order' &&
          (e.data as { method?: string }).method === 'POST' &&
          Number((e.data as { status?: number }).status) >= 400);
      if (refused && (active.get(inst) ?? 0) > 0) {
        if (!lastRefusal.has(inst)) stats.refused++;
        lastRefusal.set(inst, e);
        continue;
      }
      if (e.type !== 'order.new') continue;
      if (firstStart.has(inst) && (active.get(inst) ?? 0) === 0 && lastEnd.has(inst)) anyOrderAfter.add(inst);
      const d = e.data as OrderNewData;
      if (!increasesRisk(Number(d.positionBefore), d.side, Number(d.qty), d.reduceOnly)) continue;
      const mid = mids.get(d.symbol);
      if (mid === undefined) continue;
      const opening = { e, notional: Number(d.qty) * mid };
      if (!firstStart.has(inst)) before.set(inst, [...(before.get(inst) ?? []), opening]);
      else if ((active.get(inst) ?? 0) === 0 && lastEnd.has(inst) && !after.has(inst)) after.set(inst, opening);
    }

    const violations: Violation[] = [];
    const end = windowEnd ?? (history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0);
    for (const [inst, heal] of lastEnd) {
      stats.instances++;
      const base = before.get(inst) ?? [];
      const refusal = lastRefusal.get(inst);
      // The clock starts at the heal, or at the resume of a halt that holds the bot past it.
      let from = heal.t;
      for (const h of halts.get(inst) ?? []) if (h.from <= from + resumeWithinMs && h.to > from) from = h.to;
      if (base.length === 0 || !refusal || (active.get(inst) ?? 0) > 0 || from + resumeWithinMs > end) continue;
      // A bot that sends no order at all after the heal is stuck, not short of budget (loop-never-stalls'
      // resumeWithinMs judges that, 004#H-FSM-01): not judged here.
      if (!anyOrderAfter.has(inst)) {
        stats.stuck++;
        continue;
      }
      stats.judged++;
      const baseline = median(base.map((o) => o.notional));
      const next = after.get(inst);
      if (!next || next.e.t > from + resumeWithinMs) {
        stats.notResumed++;
        // 004_8a8a9a4995486b8f.txt#H-ENG-01 / #H-PORT-06: the failed orders' reservations ate the budget.
        violations.push({
          t: from + resumeWithinMs,
          instance: inst,
          message: `${inst} opened no position within ${resumeWithinMs} ms after order refusals ended${from > heal.t ? ' and its halt was over' : ''} (it opened ~${baseline.toFixed(2)} USDT before): budget of the failed orders not released [${PENDING_INTENTS_LEAK}, ${STALE_RESERVATIONS}]`,
          evidence: [...(next ? [next.e.seq] : []), refusal.seq, heal.seq],
        });
        continue;
      }
      if (next.notional < (baseline * minSizePct) / 100) {
        stats.smaller++;
        violations.push({
          t: next.e.t,
          instance: inst,
          message: `${inst}'s first opening after order refusals ended was ${next.notional.toFixed(2)} USDT, ${((100 * next.notional) / baseline).toFixed(0)} % of its usual ${baseline.toFixed(2)} USDT (< ${minSizePct} %): budget of the failed orders not released [${PENDING_INTENTS_LEAK}, ${STALE_RESERVATIONS}]`,
          evidence: [next.e.seq, refusal.seq, heal.seq],
        });
      }
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.judged === 0)
      return unknown('no instance opened positions before a spell of refused orders, ran into it, and had time to open again after it', stats);
    return { valid: true, violations: [], notes: [`${stats.judged} instance(s) opened at their usual size again after order refusals`], stats };
  },
};
