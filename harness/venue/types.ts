import type { Bracket } from './brackets.ts';
/**
 * Public types of the venue: a simulated exchange that runs inside the harness process and that
 * a real trading bot talks to (through Toxiproxy) as if it were Binance USD-M futures.
 */

import type { RequestHandler } from 'msw';
import type { Recorder } from '../history/types.ts';
import type { BookTop } from '../market/price-path.ts';
import type { CancelRefusal } from './dialects/binance-usdm/cancel-refusals.ts';
import type { MarketCorruption } from './dialects/binance-usdm/ws-corrupt.ts';
import type { FundingOptions } from './engine/funding.ts';
import type { FillPolicy } from './engine/order.ts';
import type { HistoricMinute } from './engine/tape.ts';

export type { CancelRefusal } from './dialects/binance-usdm/cancel-refusals.ts';
export type { MarketCorruption } from './dialects/binance-usdm/ws-corrupt.ts';
export type { FillPolicy } from './engine/order.ts';

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
  /** Notional brackets (GET /fapi/v1/leverageBracket); absent = BTCUSDT's (harness/venue/brackets.ts). */
  brackets?: readonly Bracket[];
}

/** One bot instance's exchange account; each instance gets its own listener port. */
export interface VenueAccount {
  instance: string;
  apiKey: string;
  apiSecret: string;
  balanceUsdt: number;
  /** Start the account in hedge mode (Binance dualSidePosition true); default one-way. */
  dualSidePosition?: boolean;
  /**
   * Realized PnL the account already booked today before the venue started: `rows` REALIZED_PNL
   * income entries adding up to `totalUsdt`, spread over today (UTC) before the start. They show in
   * GET /fapi/v1/income only (no trades behind them), so a bot that reads its income has to page.
   */
  realizedPnlToday?: { rows: number; totalUsdt: number };
  /**
   * Small balances of other assets the account also holds (asset -> amount), listed beside USDT by
   * GET /fapi/v2/balance, /fapi/v3/balance and the account endpoints, as Binance lists every asset of
   * the futures wallet. They are not margin (single-asset mode) and nothing can be traded with them.
   */
  dust?: Record<string, number>;
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
  /** Fixed listener port per instance; instances not listed (and 0) get a free port. */
  ports?: Readonly<Record<string, number>>;
  /** How marketable orders execute. Default { kind: 'immediate' }; see FillPolicy. */
  fillPolicy?: FillPolicy;
  /**
   * Funding paid on open positions at every funding time: `rate` per interval (default 0.0001),
   * times at multiples of `intervalMs` since the epoch (default 8 h: 00:00, 08:00, 16:00 UTC, as
   * Binance). Shorten the interval to see FUNDING_FEE inside a run.
   */
  funding?: Partial<FundingOptions>;
  /**
   * Rate limits the venue enforces and advertises in exchangeInfo; unset fields keep Binance's
   * (2400 weight per minute per IP, 300 orders per 10 s and 1200 per minute per account). Lower
   * them to reach 429 / 418 quickly in a scenario or test.
   */
  rateLimits?: Partial<VenueRateLimits>;
  /**
   * Public tape: when true, every tick also prints one synthetic market trade (at the touch, on
   * the side the mid moved to) on aggTrade, klines and the 24hr ticker, so a bot sees a live tape
   * even when it does not trade. Default false: the tape is the venue's own executions only.
   */
  syntheticTrades?: boolean;
}

/** See VenueOptions.rateLimits. */
export interface VenueRateLimits {
  /** REQUEST_WEIGHT per IP (peer address) per minute. Binance: 2400. */
  weightPerMinute: number;
  /** ORDERS per account per 10 seconds. Binance: 300. */
  ordersPer10s: number;
  /** ORDERS per account per minute. Binance: 1200. */
  ordersPerMinute: number;
  /** Further 429s an IP may collect in one minute window after its first, before it is banned (418). Default 10. */
  banAfter: number;
  /** Length of an IP's first ban; each repeat ban doubles it, capped at 3 days. Default 120000 (2 minutes). */
  banMs: number;
}

/** An order as venue events describe it (wire-neutral; amounts as numbers). */
export interface VenueOrderInfo {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: string;
  origQty: number;
  executedQty: number;
  status: string;
}

/**
 * Venue events a fault can subscribe to with StartedVenue.onEvent. Every event carries the
 * instance whose account (or listener) it concerns.
 *  - order.accepted: a new order passed every check and is on the venue (before any fill).
 *  - order.filled: one execution (a slice of a partial fill, or the whole order).
 *  - order.cancelled: the order ended unfilled or partly filled (user cancel, IOC rest, expiry, policy).
 *  - listenKey.created: POST /fapi/v1/listenKey returned a key (new or the active one).
 *  - listenKey.expired: a key stopped being valid (expireListenKey or lapsed validity).
 *  - connection.opened / connection.closed: a WebSocket connection of the instance.
 */
export interface VenueEventMap {
  'order.accepted': { instance: string; order: VenueOrderInfo };
  'order.filled': { instance: string; order: VenueOrderInfo; fill: { tradeId: number; qty: number; price: number; maker: boolean } };
  'order.cancelled': { instance: string; order: VenueOrderInfo; status: 'CANCELED' | 'EXPIRED' };
  'listenKey.created': { instance: string; listenKey: string; reused: boolean };
  'listenKey.expired': { instance: string; listenKey: string };
  'connection.opened': { instance: string; connId: number; kind: 'market' | 'user'; path: string };
  'connection.closed': { instance: string; connId: number; kind: 'market' | 'user'; code: number };
}

export type VenueEventType = keyof VenueEventMap;

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

  // ---- Fault-facing hooks (used by harness/faults; each is small on purpose) ----

  /** Fill policy for orders placed from now on (slices already scheduled keep theirs). */
  setFillPolicy(policy: FillPolicy): void;
  /**
   * Layers msw handlers in front of the venue's own, msw `server.use` style: the newest first; a
   * handler that returns nothing falls through to the next one and finally to the venue. Inside
   * a handler, `currentRequest()` (exported from harness/venue/index.ts) says which instance's
   * listener received the request. A handler that throws answers 500 (an injected 5xx).
   */
  use(...handlers: RequestHandler[]): void;
  /** Removes every handler added with use(). */
  resetHandlers(): void;
  /**
   * Subscribes to a venue event; listeners run synchronously when it happens. Returns the
   * unsubscribe. Inside a listener, `activeRequest()` is the REST request that caused the event
   * (undefined for ticks and timers); setting its `dropResponse = true` loses that response.
   */
  onEvent<K extends VenueEventType>(type: K, fn: (event: VenueEventMap[K]) => void): () => void;
  /** Stops (true) or resumes (false) market-stream messages to the instance's connections; others keep flowing. Messages while paused are dropped, not queued. */
  pauseMarketData(instance: string, paused: boolean): void;
  /** Sends `listenKeyExpired` to the instance's user streams now; the key is invalid afterwards, sockets stay open. Returns the key, or undefined when the instance had no valid key. */
  expireListenKey(instance: string): string | undefined;
  /** Gives the symbol minutes of history from before the run (klines with a past startTime answer); only before its first tick. */
  backfill(symbol: string, minutes: readonly HistoricMinute[]): void;
  /** Pushes MARGIN_CALL (user stream) for the instance's open positions; false when it has none. */
  marginCall(instance: string): boolean;
  /** Closes the instance's WebSocket connections of one kind with a clean close frame (e.g. 1001 going away); returns how many. */
  closeConnections(instance: string, kind: 'market' | 'user', code: number, reason: string): number;
  /** Drops the instance's next `count` diff-depth events, so the next one it receives has pu != its last u (a sequence gap). */
  dropDepthUpdates(instance: string, count: number): void;
  /**
   * Tampers with the instance's next `count` user-data messages: 'duplicate' sends each twice;
   * 'reorder' holds them until `count` are held (or `maxHoldMs`, default 1000, passed since the
   * first) and then sends them newest first.
   */
  tamperUserEvents(instance: string, mode: 'duplicate' | 'reorder', count: number, maxHoldMs?: number): void;
  /**
   * Corrupts (a MarketCorruption) or restores (undefined) the prices in the bookTicker and
   * markPriceUpdate messages the instance receives; each corrupted message is recorded as
   * `venue market.corrupt` {connId, stream, symbol, mode, values}.
   */
  corruptMarketData(instance: string, corruption: MarketCorruption | undefined): void;
  /**
   * Refuses (a CancelRefusal) or stops refusing (undefined) the instance's cancels of working
   * orders: DELETE /fapi/v1/order and each entry of DELETE /fapi/v1/batchOrders answer the
   * refusal's error and the order stays working, at most `count` times; each refusal is recorded
   * as `venue cancel.refuse`.
   */
  refuseCancels(instance: string, refusal: CancelRefusal | undefined): void;
}
