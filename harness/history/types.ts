/**
 * The history is the single source of truth of a run: one JSON object per line, append-only,
 * flushed as it goes, so a killed run still leaves a readable prefix. Checkers read nothing else.
 */

export type Source = 'harness' | 'runtime' | 'target' | 'venue' | 'market' | 'fault' | 'redis' | 'db';

export interface HistoryEvent<D = Record<string, unknown>> {
  /** 0-based position in the run's history; evidence in violations points at it. */
  seq: number;
  /** Milliseconds since run start on the harness monotonic clock (fractional). */
  t: number;
  src: Source;
  type: string;
  /** Scenario id the event belongs to; absent for run-level events. */
  scenario?: string;
  /** Target instance the event concerns (e.g. "bot-1"), when there is one. */
  instance?: string;
  data: D;
}

/** What producers (venue, faults, runtime, target supervisor) are handed to record events. */
export interface Recorder {
  record<D extends Record<string, unknown>>(src: Source, type: string, data: D, instance?: string): HistoryEvent<D>;
  /** Milliseconds since run start, on the same clock as `t`. */
  now(): number;
}

/**
 * Event vocabulary shared by producers and checkers. Producers may record more types; checkers
 * must only rely on the ones listed here (documented in harness/history/README.md).
 */
export interface OrderNewData extends Record<string, unknown> {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: string;
  timeInForce?: string;
  qty: string;
  price?: string;
  reduceOnly: boolean;
  /**
   * Signed position (base asset) of the account in this symbol just before the order. In hedge
   * mode (`positionSide` present) it is the signed quantity of that leg only: LONG >= 0, SHORT
   * <= 0, so `positionBefore` + the order's signed qty is still the leg after the order.
   */
  positionBefore: string;
  /**
   * Present only when the account is in hedge (dual-side) mode: the leg the order acts on. SELL
   * on LONG and BUY on SHORT close the leg and are recorded with reduceOnly true. Absent = one-way
   * mode (Binance positionSide BOTH).
   */
  positionSide?: 'LONG' | 'SHORT';
}

export interface WsOpenData extends Record<string, unknown> {
  connId: number;
  /** 'market' for public market streams, 'user' for listenKey user-data streams. */
  kind: 'market' | 'user';
  path: string;
  /** Market streams subscribed on this connection, lower-case Binance names (btcusdt@bookticker). */
  streams: string[];
}

export interface WsCloseData extends Record<string, unknown> {
  connId: number;
  kind: 'market' | 'user';
  code?: number;
  reason?: string;
}

export interface MarketTickData extends Record<string, unknown> {
  symbol: string;
  /** Index of the tick in the seeded price path. */
  i: number;
  bid: string;
  ask: string;
  mid: string;
}

export interface FaultData extends Record<string, unknown> {
  /** Unique id of this fault occurrence within the scenario, e.g. "f1". */
  id: string;
  kind: string;
  /** Link the fault acts on, e.g. "market-ws", when it acts on a link. */
  link?: string;
  params: Record<string, unknown>;
}

/** `venue http.request`: one REST request as the venue answered it (harness/venue/server.ts). */
export interface HttpRequestData extends Record<string, unknown> {
  method: string;
  /** URL path without the query. */
  path: string;
  status: number;
  /** Binance error code of an error answer. */
  code?: number;
  /** The venue did the work but the answer was lost (a fault dropped the connection). */
  dropped?: boolean;
  /** Digest of the parameters without timestamp, signature and recvWindow: same method, path and fp = the same request again. */
  fp?: string;
  /** Retry-After of the answer, in seconds (429, 418). */
  retryAfterS?: number;
  /** A paginated list's page as answered (income, userTrades): rows returned of limit, and the cursor asked for. */
  page?: { rows: number; limit: number; page?: number; startTime?: number; fromId?: number };
  /** A market-history request (klines and kin): the candle window it asked for, whatever the answer. */
  window?: HistoryWindow;
  /** A balance read (GET /fapi/v2|v3/balance): the USDT balance + unrealized PnL it answered. */
  equityUsdt?: number;
}

/** The candle window of a market-history request, from its query: omitted bounds were not sent. */
export interface HistoryWindow extends Record<string, unknown> {
  symbol: string;
  interval: string;
  /** Epoch ms when the venue received the request: the end of a window without endTime. */
  now: number;
  startTime?: number;
  endTime?: number;
  limit?: number;
}

/**
 * `venue market.corrupt`: one market message whose prices the venue corrupted for this instance
 * (fault market-data-corrupt), as the instance received it.
 */
export interface MarketCorruptData extends Record<string, unknown> {
  connId: number;
  /** Lower-case stream name (btcusdt@bookticker, btcusdt@markprice@1s). */
  stream: string;
  /** The symbol whose prices went bad (comma-separated for !markPrice@arr). */
  symbol: string;
  mode: 'zero' | 'negative' | 'nan' | 'scale';
  /** Corrupted field (b, a, p, i, P) -> the text sent instead of the real price. */
  values: Record<string, string>;
}
