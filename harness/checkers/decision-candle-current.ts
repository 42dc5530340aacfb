import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const KLINE_OVERLAY = '003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15';

/** The candle a decision used, as the bot reports it in its `order` probe. */
interface CandleBasis {
  interval?: unknown;
  openTime?: unknown;
  close?: unknown;
  source?: unknown;
}

interface Tick {
  t: number;
  seq: number;
  mid: number;
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * A decision that opens risk on a candle uses the current one: its close is a price the venue had
 * within maxAgeMs of the decision.
 *
 * The venue's candles are built from its ticks: the current candle's close is the latest tick mid
 * (`market tick` {symbol, mid}; harness/venue/engine/tape.ts). The bot states the candle each
 * order's decision used in its `order` probe (`candle` {interval, openTime, close, source}). For
 * every risk-increasing order (reduceOnly false) whose probe carries a candle, the symbol's ticks
 * from maxAgeMs before the probe up to it must include one whose mid equals the candle's close;
 * a close the venue last had earlier (or never) means the decision ran on an old candle. Encodes
 * 003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15 (the WS kline overlay looks
 * candles up by the raw interval, "15", while the realtime state stores "15m", and silently falls
 * back to the stale REST candle; acceptance: with fresh WS klines and a lagging REST source,
 * decisions use the fresh candle or refuse). Evidence: [the order probe, the last tick with that
 * mid when there is one].
 *
 * A close can match by chance when the price comes back to it; the market of a scenario for this
 * check moves every tick, so that is rare, and a chance match can only hide a violation, never
 * make one. Unknown when no risk-increasing order probe carries a candle (the bot reports no
 * candle basis), or when no tick of its symbol was recorded.
 *
 * Options: maxAgeMs (default 1500: the bot's freshness bound plus a tick and the kline stream's 250 ms push interval).
 */
export const decisionCandleCurrent: Checker = {
  name: 'decision-candle-current',
  description: 'A risk-increasing decision made on a candle uses the current one: its close is a price the venue had within maxAgeMs',
  findings: [KLINE_OVERLAY],
  requires: ['probes'],
  check(history, ctx): CheckResult {
    const maxAgeMs = numberOption(ctx.options, 'maxAgeMs', 1500);
    const violations: Violation[] = [];
    const stats = { candleDecisions: 0, current: 0, stale: 0, neverSeen: 0 };
    const sourceCounts = new Map<string, number>();
    // The symbol of each order, from the venue (the probe comes first and does not name it).
    const symbolOf = new Map<string, string>();
    for (const e of history) {
      if (e.src === 'venue' && e.type === 'order.new' && e.instance !== undefined) {
        const d = e.data as { clientOrderId?: unknown; symbol?: unknown };
        if (typeof d.clientOrderId === 'string' && typeof d.symbol === 'string') symbolOf.set(`${e.instance}/${d.clientOrderId}`, d.symbol);
      }
    }
    const ticks = new Map<string, Tick[]>();
    for (const e of history) {
      if (e.src === 'market' && e.type === 'tick') {
        const d = e.data as { symbol?: unknown; mid?: unknown };
        const mid = Number(d.mid);
        if (typeof d.symbol !== 'string' || !Number.isFinite(mid)) continue;
        const list = ticks.get(d.symbol) ?? [];
        list.push({ t: e.t, seq: e.seq, mid });
        ticks.set(d.symbol, list);
        continue;
      }
      if (e.src !== 'target' || e.type !== 'probe' || e.instance === undefined) continue;
      const d = e.data as { probe?: unknown; reduceOnly?: unknown; clientOrderId?: unknown; candle?: CandleBasis };
      if (d.probe !== 'order' || d.reduceOnly !== false || typeof d.candle !== 'object' || d.candle === null) continue;
      const close = Number(d.candle.close);
      if (!Number.isFinite(close)) continue;
      const symbol = symbolOf.get(`${e.instance}/${String(d.clientOrderId)}`) ?? (ticks.size === 1 ? [...ticks.keys()][0] : undefined);
      const series = symbol !== undefined ? ticks.get(symbol) : undefined;
      if (symbol === undefined || series === undefined || series.length === 0) continue;
      stats.candleDecisions++;
      const source = String(d.candle.source ?? '?');
      sourceCounts.set(source, (sourceCounts.get(source) ?? 0) + 1);
      const recent = series.filter((k) => k.t <= e.t && k.t >= e.t - maxAgeMs);
      if (recent.some((k) => same(k.mid, close))) {
        stats.current++;
        continue;
      }
      // The last tick at or before the window with that price, if the venue ever had it.
      let last: Tick | undefined;
      for (const k of series) if (k.t < e.t - maxAgeMs && same(k.mid, close)) last = k;
      const basis = `${String(d.candle.interval ?? '?')} candle opened ${String(d.candle.openTime ?? '?')} (source ${source}), close ${close}`;
      const now = recent.at(-1) ?? series.filter((k) => k.t <= e.t).at(-1);
      // 003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15: the decision ran on an old candle.
      if (last) stats.stale++;
      else stats.neverSeen++;
      violations.push({
        t: e.t,
        instance: e.instance,
        message:
          `${e.instance} opened risk (${String(d.clientOrderId)}) on a ${basis}: ` +
          (last ? `the venue’s price was last ${close} ${Math.round(e.t - last.t)} ms before` : `a price no tick of ${symbol} had`) +
          `${now ? `; its price then was ${now.mid}` : ''} (allowed age ${maxAgeMs} ms)`,
        evidence: last ? [e.seq, last.seq] : [e.seq],
      });
    }
    const notes = [...sourceCounts].map(([s, n]) => `${n} decision(s) on ${s} candles`);
    if (violations.length > 0) return { valid: false, violations, notes, stats };
    if (stats.candleDecisions === 0)
      return unknown('no risk-increasing order probe carries a candle, or no tick was recorded: the bot reports no candle basis', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.candleDecisions} candle decision(s), each on a price the venue had within ${maxAgeMs} ms`, ...notes],
      stats,
    };
  },
};
