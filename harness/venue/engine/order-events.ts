/**
 * History events of the order lifecycle. Checkers depend on these exact shapes (see
 * harness/history/types.ts for OrderNewData); amounts are decimal strings so that replaying a
 * history never depends on float formatting.
 */
import type { OrderNewData, Recorder } from '../../history/types.ts';
import { fixed } from './decimal.ts';
import type { Fill, Order } from './order.ts';

/** Quantities and prices are rendered with the symbol's step and tick decimals. */
export interface Decimals {
  qty: number;
  price: number;
}

export function recordNew(recorder: Recorder, order: Order, positionBefore: number, d: Decimals): void {
  const data: OrderNewData = {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    qty: fixed(order.origQty, d.qty),
    reduceOnly: order.reduceOnly,
    positionBefore: fixed(positionBefore, d.qty),
  };
  // Hedge mode only, so one-way histories stay as they were.
  if (order.positionSide !== 'BOTH') data.positionSide = order.positionSide;
  if (order.type === 'LIMIT') {
    data.timeInForce = order.timeInForce;
    data.price = fixed(order.price, d.price);
  }
  recorder.record('venue', 'order.new', data, order.instance);
}

export interface OrderFillData extends Record<string, unknown> {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  lastQty: string;
  lastPrice: string;
  cumQty: string;
  status: 'PARTIALLY_FILLED' | 'FILLED';
  positionAfter: string;
  realizedPnl: string;
  commission: string;
  maker: boolean;
  /** Hedge mode only: the leg the order acts on; positionAfter is that leg's signed quantity. */
  positionSide?: 'LONG' | 'SHORT';
}

export function recordFill(recorder: Recorder, order: Order, fill: Fill, d: Decimals): void {
  const data: OrderFillData = {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    lastQty: fixed(fill.qty, d.qty),
    lastPrice: fixed(fill.price, d.price),
    cumQty: fixed(order.executedQty, d.qty),
    status: order.status === 'FILLED' ? 'FILLED' : 'PARTIALLY_FILLED',
    positionAfter: fixed(fill.positionAfter, d.qty),
    realizedPnl: fixed(fill.realizedPnl, 8),
    commission: fixed(fill.commission, 8),
    maker: fill.maker,
  };
  if (order.positionSide !== 'BOTH') data.positionSide = order.positionSide;
  recorder.record('venue', 'order.fill', data, order.instance);
}

export interface OrderCancelData extends Record<string, unknown> {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  /** 'user' for a cancel request; 'expired' when the venue ends it (IOC rest, reduce-only cut). */
  reason: 'user' | 'expired';
}

export function recordCancel(recorder: Recorder, order: Order, reason: 'user' | 'expired'): void {
  const data: OrderCancelData = { orderId: order.orderId, clientOrderId: order.clientOrderId, symbol: order.symbol, reason };
  recorder.record('venue', 'order.cancel', data, order.instance);
}
