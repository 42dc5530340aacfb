/**
 * Public types of the venue: a simulated exchange that runs inside the harness process and that
 * a real trading bot talks to (through Toxiproxy) as if it were Binance USD-M futures.
 */
import type { Recorder } from '../history/types.ts';
import type { BookTop } from '../market/price-path.ts';

/** Trading rules of one symbol, as strings where Binance's exchangeInfo uses strings. */
export interface SymbolConfig {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  maxQty: string;
  /** MARKET_LOT_SIZE maxQty: MARKET orders may be smaller than LIMIT ones. */
  marketMaxQty: string;
  minNotional: string;
  pricePrecision: number;
  quantityPrecision: number;
}

/** One bot instance's exchange account; each instance gets its own listener port. */
export interface VenueAccount {
  instance: string;
  apiKey: string;
  apiSecret: string;
  balanceUsdt: number;
}

export interface VenueOptions {
  recorder: Recorder;
  /** Usually DEFAULT_SYMBOLS (exported from harness/venue/index.ts). */
  symbols: readonly SymbolConfig[];
  accounts: VenueAccount[];
  /** Default '127.0.0.1'; anything that is not a loopback address is refused. */
  host?: string;
  /** Venue clock skew in ms: serverTime = Date.now() + serverTimeOffsetMs. Default 0. */
  serverTimeOffsetMs?: number;
  /** Cross leverage of every account on every symbol. Default 20. */
  leverage?: number;
  /** Interval of server-sent WebSocket ping frames. Default 180000 (Binance: every 3 minutes). */
  wsPingIntervalMs?: number;
}

export interface StartedVenue {
  /** One HTTP+WS listener per account instance, so every request is attributable even behind a proxy. */
  portFor(instance: string): number;
  /** Update the symbol's top of book: record nothing (the caller records market ticks), match resting orders, push bookTicker to subscribers. */
  applyTick(symbol: string, top: BookTop): void;
  setServerTimeOffset(ms: number): void;
  /** Signed position (base qty, number) of an instance in a symbol: for tests and final-state snapshots. */
  position(instance: string, symbol: string): number;
  /** Close every WS connection and listener; idempotent; resolves when all sockets are closed. */
  stop(): Promise<void>;
}
