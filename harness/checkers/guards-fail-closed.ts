import type { HistoryEvent, HttpRequestData, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const DRAWDOWN = '003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal';
const LOSS_SEED = '003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed';
const CASCADE = '000_2ae31cbfe79758d1.txt#E-M13';

/** Default guard inputs: the balance/equity source (drawdown) and the realized-PnL history (daily loss). */
const DEFAULT_INPUTS = ['/fapi/v2/balance', '/fapi/v3/balance', '/fapi/v1/income'];

function stringList(options: Record<string, unknown>, name: string, fallback: readonly string[]): readonly string[] {
  const v = options[name];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x.startsWith('/')))
    throw new TypeError(`check option ${name} must be a list of paths, got ${JSON.stringify(v)}`);
  return v as string[];
}

/**
 * A risk guard whose input cannot be read fails closed: no new risk until it is read again.
 *
 * Guard inputs are REST reads the bot makes to evaluate a loss guard (option `inputs`, default
 * GET /fapi/v2/balance, /fapi/v3/balance: equity for the drawdown check; GET /fapi/v1/income: the
 * realized PnL that seeds the daily-loss tracker). Per instance and input path, a failed read
 * (`venue http.request` GET with status >= 400, or an answer the venue recorded as dropped) opens a
 * window that the next successful read of the same path (status 200, not dropped) closes. Every
 * risk-increasing `venue order.new` (position.ts increasesRisk; reduce-only exits are fine) of the
 * instance while a window is open is a violation, evidence [order.new, the window's first failed
 * read, the fault.start of the fault on that path when there is one]. Decided findings:
 * - 003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal: the drawdown check's
 *   balance read fails, the exception is a warning and the order goes out;
 * - 003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed: the closed-PnL fetch fails,
 *   is swallowed into [] and counted as a successful seed; the bot trades without ever reading it;
 * - 000_2ae31cbfe79758d1.txt#E-M13: the fill handler returns at the first guard whose refresh throws
 *   (daily loss), so the guards after it never run and trading goes on unguarded; the acceptance
 *   "the remaining guards must still act, or trading must halt" holds for a bot that opens no risk
 *   while a guard input is unreadable.
 * An order decided before the failure (its `order`/`intent` probe came before the failed read and at
 * most inFlightMs before the venue took it) is not judged.
 *
 * Unknown when the bot never read a guard input (nothing shows it has such guards), when no read
 * of one failed (the fault never took effect), or when the instances sent no risk-increasing order
 * at all. A read that fails before reaching the venue (lost on the link) is not seen here.
 *
 * Options: inputs (list of paths), inFlightMs (default 1000).
 */
export const guardsFailClosed: Checker = {
  name: 'guards-fail-closed',
  description: 'While a loss guard’s input (balance, realized PnL) cannot be read, the bot opens no new risk until it is read again',
  findings: [DRAWDOWN, LOSS_SEED, CASCADE],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const inputs = new Set(stringList(ctx.options, 'inputs', DEFAULT_INPUTS));
    const inFlightMs = numberOption(ctx.options, 'inFlightMs', 1000);
    const violations: Violation[] = [];
    const stats = { guardReads: 0, failedReads: 0, windows: 0, riskOrders: 0, riskWhileUnreadable: 0, exitsWhileUnreadable: 0, decidedBefore: 0 };

    /** Active fault occurrences on a guard input: path -> fault.start seq. */
    const faults = new Map<string, number>();
    /** instance -> path -> first failed read of the open window. */
    const open = new Map<string, Map<string, HistoryEvent>>();
    const decided = new Map<string, HistoryEvent>();
    const openOf = (inst: string): Map<string, HistoryEvent> => {
      const m = open.get(inst) ?? new Map<string, HistoryEvent>();
      open.set(inst, m);
      return m;
    };

    for (const e of history) {
      if (e.src === 'fault') {
        const d = e.data as { params?: { path?: unknown } };
        const path = typeof d.params?.path === 'string' ? d.params.path : undefined;
        if (path !== undefined && inputs.has(path)) {
          if (e.type === 'fault.start') faults.set(path, e.seq);
          else if (e.type === 'fault.end') faults.delete(path);
        }
        continue;
      }
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'target' && e.type === 'probe') {
        const d = e.data as { probe?: unknown; clientOrderId?: unknown };
        if ((d.probe === 'order' || d.probe === 'intent') && typeof d.clientOrderId === 'string') decided.set(`${inst}/${d.clientOrderId}`, e);
        continue;
      }
      if (e.src !== 'venue') continue;
      if (e.type === 'http.request') {
        const d = e.data as unknown as HttpRequestData;
        if (d.method !== 'GET' || !inputs.has(d.path)) continue;
        stats.guardReads++;
        const m = openOf(inst);
        if (d.status >= 400 || d.dropped === true) {
          stats.failedReads++;
          if (!m.has(d.path)) {
            m.set(d.path, e);
            stats.windows++;
          }
        } else if (d.status === 200) {
          m.delete(d.path);
        }
        continue;
      }
      if (e.type !== 'order.new') continue;
      const o = e.data as unknown as OrderNewData;
      if (!increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) {
        if (openOf(inst).size > 0) stats.exitsWhileUnreadable++;
        continue;
      }
      stats.riskOrders++;
      const dec = decided.get(`${inst}/${o.clientOrderId}`);
      const judged = [...openOf(inst).values()].filter((f) => !(dec !== undefined && dec.seq < f.seq && e.t - dec.t <= inFlightMs));
      if (judged.length === 0) {
        if (openOf(inst).size > 0) stats.decidedBefore++;
        continue;
      }
      const failed = judged[0] as HistoryEvent;
      const fd = failed.data as unknown as HttpRequestData;
      stats.riskWhileUnreadable++;
      // 003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal (balance) and
      // 003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed (income): a guard that
      // could not read its input let a risk-increasing order through.
      const fault = faults.get(fd.path);
      violations.push({
        t: e.t,
        instance: inst,
        message:
          `${inst} had risk-increasing ${o.side} ${o.qty} ${o.symbol} (${o.type}; position ${o.positionBefore} before) accepted ` +
          `${Math.round(e.t - failed.t)} ms after its guard input GET ${fd.path} failed (${fd.dropped === true ? 'answer dropped' : `HTTP ${fd.status}`}), ` +
          'with no successful read of it since',
        evidence: fault !== undefined ? [e.seq, failed.seq, fault] : [e.seq, failed.seq],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.guardReads === 0) return unknown(`the bot never read a guard input (${[...inputs].join(', ')}): nothing shows it has such guards`, stats);
    if (stats.failedReads === 0) return unknown('no guard input read failed: the invariant was not exercised', stats);
    if (stats.riskOrders === 0) return unknown('no risk-increasing order at all: nothing shows the guards were needed', stats);
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.failedReads} failed guard-input read(s) in ${stats.windows} window(s): no risk-increasing order while an input was unreadable ` +
          `(${stats.riskOrders} in all, ${stats.exitsWhileUnreadable} exit(s) meanwhile)`,
      ],
      stats,
    };
  },
};
