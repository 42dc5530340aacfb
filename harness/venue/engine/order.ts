/** Order model shared by all dialects; field meanings follow common exchange usage. */
import type { PositionSide } from './account.ts';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED';

/** A validated order request (the dialect has already parsed and filter-checked it). */
export interface NewOrder {
  symbol: string;
  side: Side;
  type: OrderType;
  /** Absent for MARKET. */
  timeInForce?: TimeInForce;
  qty: number;
  /** Limit price; absent for MARKET. */
  price?: number;
  reduceOnly: boolean;
  /**
   * The position the order acts on: absent or BOTH in one-way mode, LONG or SHORT in hedge mode
   * (where SELL on LONG and BUY on SHORT close the leg and are reduce-only by nature).
   */
  positionSide?: PositionSide;
  clientOrderId: string;
  /** Quantity and price exactly as the client wrote them: venues echo the client's scale. */
  qtyText: string;
  priceText?: string;
}

export interface Order {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly instance: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly origQty: number;
  readonly origQtyText: string;
  /** 0 for MARKET. */
  readonly price: number;
  /** '0' for MARKET. */
  readonly priceText: string;
  /** As requested, or true for a hedge-mode order that closes its leg (Binance reports it so). */
  readonly reduceOnly: boolean;
  readonly positionSide: PositionSide;
  readonly time: number;
  status: OrderStatus;
  executedQty: number;
  /** Sum of price * qty over fills (quote asset). */
  cumQuote: number;
  updateTime: number;
}

/** The last fill of an order, carried with TRADE updates. */
export interface Fill {
  tradeId: number;
  qty: number;
  price: number;
  maker: boolean;
  commission: number;
  realizedPnl: number;
  /** Signed quantity of the position the order acts on (its positionSide) after the fill. */
  positionAfter: number;
}

/** One execution of an order, kept for trade-history endpoints (Binance userTrades). */
export interface Trade {
  readonly tradeId: number;
  readonly orderId: number;
  readonly instance: string;
  readonly symbol: string;
  readonly side: Side;
  readonly positionSide: PositionSide;
  readonly price: number;
  readonly qty: number;
  readonly commission: number;
  readonly realizedPnl: number;
  readonly maker: boolean;
  readonly time: number;
}

/**
 * How marketable (taker) orders execute. 'immediate': in full at the touch, in one fill.
 * 'slices': in `slices` fills `intervalMs` apart (the first at once), each at the touch of its
 * moment; with `filledSlices` < `slices`, the order stops after that many fills and the rest ends
 * as `rest` says ('expire': x=EXPIRED, the venue ends it; 'cancel': x=CANCELED). A LIMIT order
 * that stops being marketable between slices rests (IOC: expires). Resting orders a later tick
 * crosses always fill in full.
 */
export type FillPolicy = { kind: 'immediate' } | { kind: 'slices'; slices: number; intervalMs: number; filledSlices?: number; rest?: 'expire' | 'cancel' };

/** Every order state change, for user-data streams of any dialect. */
export interface OrderUpdate {
  order: Order;
  execution: ExecutionType;
  fill?: Fill;
  time: number;
}

export function isOpen(o: Order): boolean {
  return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
}

export function avgPrice(o: Order): number {
  return o.executedQty === 0 ? 0 : o.cumQuote / o.executedQty;
}

/** Reasons the engine refuses an order; the dialect maps them to its own codes and messages. */
export type RejectReason =
  | { kind: 'DUPLICATE_CLIENT_ORDER_ID' }
  | { kind: 'NO_PRICE' }
  /** positionSide does not fit the account's position mode (BOTH in hedge mode, LONG/SHORT in one-way). */
  | { kind: 'POSITION_SIDE_MISMATCH' }
  | { kind: 'REDUCE_ONLY' }
  | { kind: 'POST_ONLY_WOULD_TAKE' }
  | { kind: 'FOK_UNFILLABLE' }
  | { kind: 'INSUFFICIENT_MARGIN'; required: number; available: number };

export type PlaceResult = { ok: true; order: Order } | { ok: false; reason: RejectReason };
