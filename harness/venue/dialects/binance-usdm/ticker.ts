/**
 * 24hr rolling-window statistics (REST /fapi/v1/ticker/24hr, the `<symbol>@ticker` and
 * `<symbol>@miniTicker` streams).
 * The price side comes from the seeded market (mid of every tick); volume, quote volume, trade
 * count and trade ids come from the tape (the venue's own executions, plus synthetic prints when
 * enabled). The window is the venue's lifetime: a run is far shorter than 24 hours.
 */
import type { BookTop } from '../../../market/price-path.ts';
import { fixed } from '../../engine/decimal.ts';
import type { DialectContext, SymbolStats } from './endpoint.ts';

/** Binance pushes `@ticker` at most every 500 ms ("Update Speed: 500ms"). */
export const TICKER_PUSH_INTERVAL_MS = 500;

export function updateStats(ctx: DialectContext, symbol: string, top: BookTop): SymbolStats {
  const now = ctx.engine.now();
  let s = ctx.stats.get(symbol);
  if (!s) {
    s = { openTime: now, open: top.mid, high: top.mid, low: top.mid, last: top.mid, lastPushAt: Number.NEGATIVE_INFINITY };
    ctx.stats.set(symbol, s);
  }
  s.high = Math.max(s.high, top.mid);
  s.low = Math.min(s.low, top.mid);
  s.last = top.mid;
  return s;
}

/** Wire values shared by the REST and stream forms. */
function figures(ctx: DialectContext, symbol: string) {
  const d = ctx.engine.decimals(symbol);
  const now = ctx.engine.now();
  const s = ctx.stats.get(symbol);
  const tp = ctx.tape.totals(symbol);
  const open = s?.open ?? 0;
  const last = s?.last ?? 0;
  const change = last - open;
  return {
    priceChange: fixed(change, d.price),
    priceChangePercent: fixed(open === 0 ? 0 : (change / open) * 100, 3),
    weightedAvgPrice: fixed(tp.volume === 0 ? last : tp.quoteVolume / tp.volume, d.price),
    lastPrice: fixed(last, d.price),
    lastQty: fixed(tp.last?.qty ?? 0, d.qty),
    openPrice: fixed(open, d.price),
    highPrice: fixed(s?.high ?? 0, d.price),
    lowPrice: fixed(s?.low ?? 0, d.price),
    volume: fixed(tp.volume, d.qty),
    quoteVolume: fixed(tp.quoteVolume, 2),
    openTime: s?.openTime ?? now,
    closeTime: now,
    firstId: tp.first?.tradeId ?? -1,
    lastId: tp.last?.tradeId ?? -1,
    count: tp.count,
  };
}

export function ticker24hr(ctx: DialectContext, symbol: string) {
  return { symbol, ...figures(ctx, symbol) };
}

/** The `24hrTicker` stream event. */
export function tickerEvent(ctx: DialectContext, symbol: string) {
  const f = figures(ctx, symbol);
  return {
    e: '24hrTicker',
    E: ctx.engine.now(),
    s: symbol,
    p: f.priceChange,
    P: f.priceChangePercent,
    w: f.weightedAvgPrice,
    c: f.lastPrice,
    Q: f.lastQty,
    o: f.openPrice,
    h: f.highPrice,
    l: f.lowPrice,
    v: f.volume,
    q: f.quoteVolume,
    O: f.openTime,
    C: f.closeTime,
    F: f.firstId,
    L: f.lastId,
    n: f.count,
  };
}

/** The `24hrMiniTicker` stream event. */
export function miniTickerEvent(ctx: DialectContext, symbol: string) {
  const f = figures(ctx, symbol);
  return { e: '24hrMiniTicker', E: ctx.engine.now(), s: symbol, c: f.lastPrice, o: f.openPrice, h: f.highPrice, l: f.lowPrice, v: f.volume, q: f.quoteVolume };
}
