/**
 * Tape-driven market streams of Binance USD-M:
 *   <symbol>@aggTrade                 every trade on the tape (the venue's executions, the bots' own
 *                                     fills included, and synthetic prints when enabled), at once
 *   <symbol>@markPrice[@1s]           markPriceUpdate every 3 s (or 1 s), mark = index = book mid
 *   !markPrice@arr[@1s]               the same for every symbol with a book, as one array
 *   <symbol>@kline_<interval>         the current candle at most every 250 ms; when a tick opens a
 *                                     new candle, the closed one goes out first with x=true
 *                                     (every Binance interval from 1m to 1w)
 * Pushes ride on ticks (a market with no ticks sends nothing), throttled to Binance's speeds.
 */
import type { BookTop } from '../../../market/price-path.ts';
import { fixed, roundTo } from '../../engine/decimal.ts';
import type { Fill, Order } from '../../engine/order.ts';
import { bucketClose, type Candle, INTERVAL_MS, type PublicTrade } from '../../engine/tape.ts';
import type { DialectContext } from './endpoint.ts';
import type { WsHub } from './ws-hub.ts';

const MARK_SPEEDS: ReadonlyArray<readonly [suffix: string, everyMs: number]> = [
  ['', 3000],
  ['@1s', 1000],
];
const ARR_KEYS = MARK_SPEEDS.map(([suffix]) => `!markprice@arr${suffix}`);
export const KLINE_PUSH_MS = 250;
/** Stream names are matched case-insensitively, so `kline_1M` (month) would collide with `kline_1m`: the month stream is not served (REST klines has it). */
const INTERVALS = [...INTERVAL_MS.keys()].filter((i) => i !== '1M');

export function markPriceEvent(ctx: DialectContext, symbol: string, now: number) {
  const mark = fixed(ctx.engine.books.get(symbol)?.mid ?? 0, 8);
  return { e: 'markPriceUpdate', E: now, s: symbol, p: mark, i: mark, P: mark, r: fixed(ctx.engine.funding.rate, 8), T: ctx.engine.nextFundingTime() };
}

export function klineEvent(ctx: DialectContext, symbol: string, interval: string, c: Candle, closed: boolean, now: number) {
  const d = ctx.engine.decimals(symbol);
  const quote = d.price + d.qty;
  return {
    e: 'kline',
    E: now,
    s: symbol,
    k: {
      t: c.openTime,
      T: bucketClose(interval, c.openTime),
      s: symbol,
      i: interval,
      f: c.firstId,
      L: c.lastId,
      o: fixed(c.open, d.price),
      c: fixed(c.close, d.price),
      h: fixed(c.high, d.price),
      l: fixed(c.low, d.price),
      v: fixed(c.volume, d.qty),
      n: c.trades,
      x: closed,
      q: fixed(c.quoteVolume, quote),
      V: fixed(c.takerBuyVolume, d.qty),
      Q: fixed(c.takerBuyQuote, quote),
      B: '0',
    },
  };
}

interface KlineState {
  open: number;
  pushedAt: number;
}

export class TapeStreams {
  readonly #ctx: DialectContext;
  readonly #hub: WsHub;
  readonly #synthetic: boolean;
  readonly #markPushedAt = new Map<string, number>();
  readonly #klines = new Map<string, KlineState>();
  readonly #lastMid = new Map<string, number>();
  /** Per-symbol stream keys, built once (ticks are the hot path). */
  readonly #keys = new Map<string, { aggTrade: string; mark: string[]; klines: Array<[interval: string, key: string]> }>();

  constructor(ctx: DialectContext, hub: WsHub, syntheticTrades: boolean) {
    this.#ctx = ctx;
    this.#hub = hub;
    this.#synthetic = syntheticTrades;
  }

  #keysOf(symbol: string) {
    let k = this.#keys.get(symbol);
    if (!k) {
      const lower = symbol.toLowerCase();
      k = {
        aggTrade: `${lower}@aggtrade`,
        mark: MARK_SPEEDS.map(([suffix]) => `${lower}@markprice${suffix}`),
        klines: INTERVALS.map((i) => [i, `${lower}@kline_${i}`]),
      };
      this.#keys.set(symbol, k);
    }
    return k;
  }

  /** After the engine applied a tick (resting orders it crossed are already on the tape). */
  onTick(symbol: string, top: BookTop): void {
    const ctx = this.#ctx;
    const now = ctx.engine.now();
    ctx.tape.onTick(symbol, top.mid, now);
    const prev = this.#lastMid.get(symbol);
    this.#lastMid.set(symbol, top.mid);
    if (this.#synthetic && prev !== undefined) this.#print(symbol, top, top.mid > prev || (top.mid === prev && top.i % 2 === 0), now);
    const keys = this.#keysOf(symbol);
    this.#pushMark(symbol, keys.mark, now);
    this.#pushKlines(symbol, keys.klines, now);
  }

  /** An execution of the venue (engine fill): on the tape and the aggTrade stream. */
  onFill(order: Order, fill: Fill, time: number): void {
    // The buyer is the maker when a maker buy rested or a taker sold into the bid.
    const trade = this.#ctx.tape.trade(order.symbol, fill.tradeId, fill.price, fill.qty, time, (order.side === 'BUY') === fill.maker);
    this.#pushAggTrade(trade);
  }

  /** One synthetic taker print at the touch of the side the market moved to. */
  #print(symbol: string, top: BookTop, buyerTakes: boolean, now: number): void {
    const cfg = this.#ctx.engine.symbols.get(symbol);
    if (!cfg) return;
    const d = this.#ctx.engine.decimals(symbol);
    const step = Number(cfg.stepSize);
    const touchQty = buyerTakes ? top.askQty : top.bidQty;
    const qty = Math.max(Number(cfg.minQty), roundTo(Math.floor((touchQty * 0.05) / step) * step, d.qty));
    const trade = this.#ctx.tape.trade(symbol, this.#ctx.engine.allocateTradeId(), buyerTakes ? top.ask : top.bid, qty, now, !buyerTakes);
    this.#pushAggTrade(trade);
  }

  #pushAggTrade(t: PublicTrade): void {
    const key = this.#keysOf(t.symbol).aggTrade;
    const subscribers = this.#hub.subscribers(key);
    if (!subscribers) return;
    const d = this.#ctx.engine.decimals(t.symbol);
    const payload = {
      e: 'aggTrade',
      E: this.#ctx.engine.now(),
      a: t.aggId,
      s: t.symbol,
      p: fixed(t.price, d.price),
      q: fixed(t.qty, d.qty),
      f: t.tradeId,
      l: t.tradeId,
      T: t.time,
      m: t.buyerMaker,
    };
    this.#hub.broadcast(subscribers, key, payload);
  }

  #due(key: string, everyMs: number, now: number): boolean {
    const last = this.#markPushedAt.get(key);
    if (last !== undefined && now - last < everyMs) return false;
    this.#markPushedAt.set(key, now);
    return true;
  }

  #pushMark(symbol: string, keys: readonly string[], now: number): void {
    for (let i = 0; i < MARK_SPEEDS.length; i++) {
      const everyMs = (MARK_SPEEDS[i] as readonly [string, number])[1];
      const key = keys[i] as string;
      const subscribers = this.#hub.subscribers(key);
      if (subscribers && this.#due(key, everyMs, now)) this.#hub.broadcast(subscribers, key, markPriceEvent(this.#ctx, symbol, now));
      const all = ARR_KEYS[i] as string;
      const allSubscribers = this.#hub.subscribers(all);
      if (allSubscribers && this.#due(all, everyMs, now)) {
        const payload = [...this.#ctx.engine.books.keys()].map((s) => markPriceEvent(this.#ctx, s, now));
        this.#hub.broadcast(allSubscribers, all, payload);
      }
    }
  }

  #pushKlines(symbol: string, keys: ReadonlyArray<[string, string]>, now: number): void {
    for (const [interval, key] of keys) {
      const subscribers = this.#hub.subscribers(key);
      if (!subscribers) {
        this.#klines.delete(key);
        continue;
      }
      const current = this.#ctx.tape.current(symbol, interval);
      if (!current) continue;
      const state = this.#klines.get(key);
      if (state && state.open !== current.openTime) {
        const closed = this.#ctx.tape.klines(symbol, interval, state.open, state.open, 1, true)[0];
        if (closed) this.#hub.broadcast(subscribers, key, klineEvent(this.#ctx, symbol, interval, closed, true, now));
      } else if (state && now - state.pushedAt < KLINE_PUSH_MS) {
        continue;
      }
      this.#klines.set(key, { open: current.openTime, pushedAt: now });
      this.#hub.broadcast(subscribers, key, klineEvent(this.#ctx, symbol, interval, current, false, now));
    }
  }
}
