/**
 * The public tape of every symbol: trades (the venue's own executions and, optionally, one
 * synthetic market trade per tick) and one-minute candles built from ticks. Dialect-free: numbers
 * only. Candle prices are tick mids (the venue's "last price", as in the 24hr ticker): a minute
 * opens at its first tick's mid; volumes, trade counts and trade ids come from trades. Minutes
 * without a tick are flat candles at the previous close, so the series is contiguous from the
 * first tick on.
 */

export interface PublicTrade {
  /** Aggregate trade id (one per taker execution). */
  aggId: number;
  /** Trade id (the engine's tradeId for the venue's executions). */
  tradeId: number;
  symbol: string;
  price: number;
  qty: number;
  time: number;
  buyerMaker: boolean;
}

export interface Candle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyVolume: number;
  takerBuyQuote: number;
  /** -1 when the candle has no trade. */
  firstId: number;
  lastId: number;
}

/** A minute of history from before the run (MarketTape.backfill): prices, volume and trade count only. */
export type HistoricMinute = Pick<Candle, 'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'trades'>;

export interface TapeTotals {
  volume: number;
  quoteVolume: number;
  count: number;
  first: PublicTrade | undefined;
  last: PublicTrade | undefined;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Candles kept per symbol (one week of minutes); older ones are dropped. */
const MAX_CANDLES = 7 * 1440;

/** Interval -> fixed length in ms (1M is a calendar month, handled apart). Binance's list. */
export const INTERVAL_MS: ReadonlyMap<string, number> = new Map([
  ['1m', MINUTE],
  ['3m', 3 * MINUTE],
  ['5m', 5 * MINUTE],
  ['15m', 15 * MINUTE],
  ['30m', 30 * MINUTE],
  ['1h', 60 * MINUTE],
  ['2h', 120 * MINUTE],
  ['4h', 240 * MINUTE],
  ['6h', 360 * MINUTE],
  ['8h', 480 * MINUTE],
  ['12h', 720 * MINUTE],
  ['1d', DAY],
  ['3d', 3 * DAY],
  ['1w', 7 * DAY],
  ['1M', 31 * DAY],
]);

export function isInterval(text: string): boolean {
  return INTERVAL_MS.has(text);
}

/** Open time of the interval bucket holding `t` (UTC): weeks start on Monday, months on the 1st. */
export function bucketStart(interval: string, t: number): number {
  if (interval === '1M') {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const size = INTERVAL_MS.get(interval) as number;
  // 1970-01-01 was a Thursday: Monday-based weeks are offset by 4 days.
  const offset = interval === '1w' ? 4 * DAY : 0;
  return Math.floor((t - offset) / size) * size + offset;
}

/** Close time of the bucket opened at `start` (its last millisecond). */
export function bucketClose(interval: string, start: number): number {
  if (interval === '1M') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
  }
  return start + (INTERVAL_MS.get(interval) as number) - 1;
}

interface SymbolTape {
  candles: Candle[];
  totals: TapeTotals;
  /** Open time of the last candle a tick reached: its first tick sets the open. */
  ticked: number;
}

function flat(openTime: number, price: number): Candle {
  return {
    openTime,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: 0,
    quoteVolume: 0,
    trades: 0,
    takerBuyVolume: 0,
    takerBuyQuote: 0,
    firstId: -1,
    lastId: -1,
  };
}

export class MarketTape {
  readonly #symbols = new Map<string, SymbolTape>();
  #nextAggId = 2_100_000_001;

  #tape(symbol: string): SymbolTape {
    let t = this.#symbols.get(symbol);
    if (!t) {
      t = { candles: [], totals: { volume: 0, quoteVolume: 0, count: 0, first: undefined, last: undefined }, ticked: -1 };
      this.#symbols.set(symbol, t);
    }
    return t;
  }

  /** The candle of the minute holding `time`, rolling the series forward (flat) as needed. */
  #candle(t: SymbolTape, time: number, price: number): Candle {
    const open = Math.floor(time / MINUTE) * MINUTE;
    let last = t.candles.at(-1);
    if (!last) {
      last = flat(open, price);
      t.candles.push(last);
      return last;
    }
    // A late event (clock skew moved back) lands in the current candle.
    while (last.openTime < open) {
      last = flat(last.openTime + MINUTE, last.close);
      t.candles.push(last);
    }
    if (t.candles.length > MAX_CANDLES) t.candles.splice(0, t.candles.length - MAX_CANDLES);
    return last;
  }

  /**
   * Minutes before the first tick (a venue that has traded before the run: klines with startTime in
   * the past answer). Only before the symbol's first tick; the minutes must be consecutive and
   * oldest first; the series then rolls forward flat from the last close to the first tick.
   */
  backfill(symbol: string, minutes: readonly HistoricMinute[]): void {
    const tape = this.#tape(symbol);
    if (tape.candles.length > 0) throw new Error(`tape: ${symbol} already has candles; backfill comes before the first tick`);
    let prev: number | undefined;
    for (const m of minutes) {
      if (m.openTime % MINUTE !== 0 || (prev !== undefined && m.openTime !== prev + MINUTE))
        throw new Error(`tape: backfill minutes must be consecutive whole minutes, oldest first (got ${m.openTime} after ${prev})`);
      prev = m.openTime;
      const taker = m.volume / 2;
      tape.candles.push({
        ...flat(m.openTime, m.open),
        high: m.high,
        low: m.low,
        close: m.close,
        volume: m.volume,
        quoteVolume: m.volume * m.close,
        trades: m.trades,
        takerBuyVolume: taker,
        takerBuyQuote: taker * m.close,
      });
    }
    if (tape.candles.length > MAX_CANDLES) tape.candles.splice(0, tape.candles.length - MAX_CANDLES);
  }

  /** A new mid: the current minute's close (and high / low). */
  onTick(symbol: string, mid: number, time: number): void {
    const tape = this.#tape(symbol);
    const c = this.#candle(tape, time, mid);
    if (tape.ticked !== c.openTime) {
      tape.ticked = c.openTime;
      c.open = mid;
      c.high = mid;
      c.low = mid;
    }
    c.close = mid;
    if (mid > c.high) c.high = mid;
    if (mid < c.low) c.low = mid;
  }

  /** Prints a trade on the tape; returns it with its aggregate id. */
  trade(symbol: string, tradeId: number, price: number, qty: number, time: number, buyerMaker: boolean): PublicTrade {
    const tape = this.#tape(symbol);
    const trade: PublicTrade = { aggId: this.#nextAggId++, tradeId, symbol, price, qty, time, buyerMaker };
    const c = this.#candle(tape, time, price);
    c.volume += qty;
    c.quoteVolume += qty * price;
    c.trades++;
    if (!buyerMaker) {
      c.takerBuyVolume += qty;
      c.takerBuyQuote += qty * price;
    }
    if (c.firstId === -1) c.firstId = tradeId;
    c.lastId = tradeId;
    const s = tape.totals;
    s.volume += qty;
    s.quoteVolume += qty * price;
    s.count++;
    s.first ??= trade;
    s.last = trade;
    return trade;
  }

  totals(symbol: string): TapeTotals {
    return this.#tape(symbol).totals;
  }

  /** The symbol's one-minute candles, oldest first (do not mutate). */
  minutes(symbol: string): readonly Candle[] {
    return this.#symbols.get(symbol)?.candles ?? [];
  }

  /**
   * Candles of `interval` aggregated from the minutes, oldest first, whose open time is in
   * [from, to]; `limit` from the start when `fromStart`, else the latest `limit`.
   */
  klines(symbol: string, interval: string, from: number, to: number, limit: number, fromStart: boolean): Candle[] {
    const out: Candle[] = [];
    for (const m of this.minutes(symbol)) {
      const open = bucketStart(interval, m.openTime);
      if (open < from) continue;
      if (open > to) break;
      const cur = out.at(-1);
      if (cur && cur.openTime === open) {
        merge(cur, m);
        continue;
      }
      if (fromStart && out.length === limit) break;
      out.push({ ...m, openTime: open });
    }
    return fromStart ? out : out.slice(Math.max(0, out.length - limit));
  }

  /** The current candle of `interval` (the one holding the latest minute), or undefined before any tick. */
  current(symbol: string, interval: string): Candle | undefined {
    const minutes = this.minutes(symbol);
    const last = minutes.at(-1);
    if (!last) return undefined;
    const open = bucketStart(interval, last.openTime);
    let c: Candle | undefined;
    for (let i = minutes.length - 1; i >= 0; i--) {
      const m = minutes[i] as Candle;
      if (m.openTime < open) break;
      if (c === undefined) c = { ...m, openTime: open };
      else prepend(c, m);
    }
    return c;
  }
}

/** Adds a later minute to a candle. */
function merge(c: Candle, m: Candle): void {
  c.high = Math.max(c.high, m.high);
  c.low = Math.min(c.low, m.low);
  c.close = m.close;
  add(c, m);
  if (m.firstId !== -1 && c.firstId === -1) c.firstId = m.firstId;
  if (m.lastId !== -1) c.lastId = m.lastId;
}

/** Adds an earlier minute to a candle. */
function prepend(c: Candle, m: Candle): void {
  c.high = Math.max(c.high, m.high);
  c.low = Math.min(c.low, m.low);
  c.open = m.open;
  add(c, m);
  if (m.firstId !== -1) c.firstId = m.firstId;
  if (m.lastId !== -1 && c.lastId === -1) c.lastId = m.lastId;
}

function add(c: Candle, m: Candle): void {
  c.volume += m.volume;
  c.quoteVolume += m.quoteVolume;
  c.trades += m.trades;
  c.takerBuyVolume += m.takerBuyVolume;
  c.takerBuyQuote += m.takerBuyQuote;
}
