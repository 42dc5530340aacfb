import type { HistoryWindow, HttpRequestData, OrderNewData } from '../history/types.ts';
import { bucketStart, INTERVAL_MS } from '../venue/engine/tape.ts';
import { numberOption, secs, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const SWALLOWED = '003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break';
/** Binance's default klines limit. */
const DEFAULT_LIMIT = 500;

/** Candle open times [from, to], both inclusive. */
type Span = [number, number];

/**
 * The open times of the candles a history request asks for, given when it was made (`now`): with startTime
 * the first `limit` candles from it (up to endTime), else the latest `limit` up to endTime (or now).
 * undefined for an interval the check does not know or a window in the future.
 */
export function requestedSpan(w: HistoryWindow): Span | undefined {
  const iv = INTERVAL_MS.get(w.interval);
  if (iv === undefined) return undefined;
  const limit = w.limit ?? DEFAULT_LIMIT;
  const last = bucketStart(w.interval, Math.min(w.endTime ?? w.now, w.now));
  let span: Span;
  if (w.startTime !== undefined) {
    const b = bucketStart(w.interval, w.startTime);
    const from = b < w.startTime ? b + iv : b;
    span = [from, Math.min(last, from + (limit - 1) * iv)];
  } else span = [last - (limit - 1) * iv, last];
  return span[0] <= span[1] ? span : undefined;
}

/** What is left of `spans` once `cut` is removed; all are open times `step` apart (one candle). */
export function subtract(spans: readonly Span[], cut: Span, step: number): Span[] {
  const out: Span[] = [];
  for (const [a, b] of spans) {
    if (cut[1] < a || cut[0] > b) {
      out.push([a, b]);
      continue;
    }
    if (cut[0] > a) out.push([a, cut[0] - step]);
    if (cut[1] < b) out.push([cut[1] + step, b]);
  }
  return out;
}

const step = (w: HistoryWindow): number => INTERVAL_MS.get(w.interval) as number;

interface Gap {
  seq: number;
  t: number;
  key: string;
  what: string;
  missing: Span[];
  /** The first risk-increasing order while the gap was open, and how many there were. */
  first?: { seq: number; t: number; text: string };
  orders: number;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * No new risk on a history the bot knows has a hole.
 *
 * The venue records the candle window of every market-history request (GET /fapi/v1/klines and
 * kin: symbol, interval, startTime, endTime, limit) whatever its answer. A request that failed
 * (an HTTP error, or a response lost on the wire) leaves a gap: the candles it asked for that no
 * earlier successful request of that instance had fetched. The gap is filled once later successful
 * requests have covered all of it (a restart of the process forgets what it had fetched, and its
 * open gaps). While a gap is open, the bot's indicators for that symbol run
 * on gappy history; a risk-increasing order on the symbol in that time (after `graceMs`, default
 * 250, for an order already in flight) treats the gappy history as complete. Encodes
 * 003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break (an API exception ends
 * the page loop as if the history were complete, and the sync still records it as fresh).
 * A bot may refill the gap (retry the page) or hold new risk until it can; both pass. Requests that
 * the venue answered but the bot timed out on are invisible here (the venue saw a success).
 * Unknown when no history request failed, or no risk-increasing order came after one.
 */
export const historyGapsRefilled: Checker = {
  name: 'history-gaps-refilled',
  description: 'No risk-increasing order on a symbol while a failed klines page left its history with a gap',
  findings: [SWALLOWED],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const graceMs = numberOption(ctx.options, 'graceMs', 250);
    const fetched = new Map<string, Span[]>(); // instance|symbol|interval -> spans fetched so far
    const open = new Map<string, Gap[]>(); // instance -> open gaps
    const closed: Gap[] = [];
    const ended: Gap[] = []; // open when their process restarted, with risk opened on them
    const stats = { historyRequests: 0, failed: 0, gaps: 0, refilled: 0, riskOrdersAfterFailure: 0, onGap: 0 };
    let firstFailureT: number | undefined;

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'target' && e.type === 'target.restart') {
        // A new process holds no candles: what the old one fetched no longer counts, and its gaps died with it.
        for (const k of [...fetched.keys()]) if (k.startsWith(`${inst}|`)) fetched.delete(k);
        for (const g of open.get(inst) ?? []) if (g.first) ended.push(g);
        open.delete(inst);
        continue;
      }
      if (e.src !== 'venue') continue;
      if (e.type === 'http.request') {
        const d = e.data as HttpRequestData;
        if (!d.window) continue;
        const span = requestedSpan(d.window);
        if (!span) continue;
        stats.historyRequests++;
        const key = `${inst}|${d.window.symbol}|${d.window.interval}`;
        if (d.status >= 400 || d.dropped) {
          stats.failed++;
          firstFailureT ??= e.t;
          let missing: Span[] = [span];
          for (const got of fetched.get(key) ?? []) missing = subtract(missing, got, step(d.window));
          if (missing.length === 0) continue;
          stats.gaps++;
          const answer = d.dropped ? 'response lost' : `HTTP ${d.status}${d.code === undefined ? '' : ` ${d.code}`}`;
          const what = `${d.method} ${d.path} ${d.window.symbol} ${d.window.interval} ${iso(span[0])}..${iso(span[1])} UTC (${answer})`;
          open.set(inst, [...(open.get(inst) ?? []), { seq: e.seq, t: e.t, key, what, missing, orders: 0 }]);
        } else if (d.status < 300) {
          fetched.set(key, [...(fetched.get(key) ?? []), span]);
          const still: Gap[] = [];
          for (const g of open.get(inst) ?? []) {
            if (g.key === key) g.missing = subtract(g.missing, span, step(d.window));
            if (g.missing.length > 0) still.push(g);
            else {
              stats.refilled++;
              closed.push(g);
            }
          }
          open.set(inst, still);
        }
      } else if (e.type === 'order.new') {
        const o = e.data as unknown as OrderNewData;
        if (firstFailureT === undefined || !increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) continue;
        stats.riskOrdersAfterFailure++;
        let onGap = false;
        for (const g of open.get(inst) ?? []) {
          // 003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break: new risk on a history with a hole.
          if (!g.key.startsWith(`${inst}|${o.symbol}|`) || e.t - g.t < graceMs) continue;
          onGap = true;
          g.orders++;
          g.first ??= { seq: e.seq, t: e.t, text: `${o.side} ${o.qty} ${o.symbol} (${o.type}; position ${o.positionBefore} before)` };
        }
        if (onGap) stats.onGap++;
      }
    }

    const violations: Violation[] = [];
    const all = [...closed, ...ended, ...[...open.values()].flat()];
    for (const g of all) {
      if (!g.first) continue;
      const inst = g.key.split('|')[0] as string;
      const refilled = closed.includes(g) ? 'was fetched again only later' : 'was never fetched again';
      violations.push({
        t: g.first.t,
        instance: inst,
        message:
          `${inst} opened risk ${g.orders} time(s) on a history with a hole: ${g.what} failed at ${secs(g.t)}, the gap ${refilled}, ` +
          `and the bot sent ${g.first.text} at ${secs(g.first.t)}`,
        evidence: [g.seq, g.first.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.failed === 0) return unknown('no market-history request failed: the fault never took effect', stats);
    if (stats.riskOrdersAfterFailure === 0) return unknown('no risk-increasing order came after a failed history request: nothing to judge', stats);
    const left = all.length - stats.refilled;
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.failed} failed history request(s) left ${stats.gaps} gap(s), ${stats.refilled} refilled` +
          (left > 0 ? ` (${left} never, and no risk opened on them)` : '') +
          `; ${stats.riskOrdersAfterFailure} risk-increasing order(s) afterwards, none on a gap`,
      ],
      stats,
    };
  },
};
