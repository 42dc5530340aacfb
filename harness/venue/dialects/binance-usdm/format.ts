/**
 * Wire formats of Binance USD-M orders. Numbers are strings where Binance sends strings; price and
 * origQty echo the client's text (Binance keeps the scale the client sent), executed amounts use
 * the symbol's step decimals.
 */
import { fixed } from '../../engine/decimal.ts';
import { TAKER_FEE } from '../../engine/engine.ts';
import { avgPrice, type Order } from '../../engine/order.ts';
import type { Decimals } from '../../engine/order-events.ts';

/** Binance's default self-trade-prevention mode on USD-M API orders. */
export const STP_MODE = 'EXPIRE_MAKER';

export function quoteText(n: number): string {
  const text = fixed(n, 8);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export function avgText(n: number, d: Decimals): string {
  return fixed(n, Math.max(5, d.price));
}

/** Break-even price: entry moved by the fee paid to open (Binance's breakEvenPrice / "bep"). */
export function breakEvenPrice(qty: number, entryPrice: number): number {
  return qty === 0 ? 0 : entryPrice * (1 + Math.sign(qty) * TAKER_FEE);
}

export interface OrderView {
  /** ACK responses show the order as accepted, before any fill ("status":"NEW", nothing executed). */
  ack?: boolean;
  /** Query and openOrders carry the creation `time`; new/cancel responses carry `cumQty` instead. */
  query?: boolean;
}

/** The Binance order object of REST responses (new, cancel, query, openOrders). */
export function orderJson(o: Order, d: Decimals, view: OrderView = {}) {
  const executed = view.ack ? 0 : o.executedQty;
  const cumQuote = view.ack ? 0 : o.cumQuote;
  const avg = view.ack ? 0 : avgPrice(o);
  const json: Record<string, unknown> = {
    orderId: o.orderId,
    symbol: o.symbol,
    status: view.ack ? 'NEW' : o.status,
    clientOrderId: o.clientOrderId,
    price: o.priceText,
    avgPrice: avgText(avg, d),
    origQty: o.origQtyText,
    // Binance prints an untouched order's amounts as a bare "0".
    executedQty: executed === 0 ? '0' : fixed(executed, d.qty),
  };
  if (!view.query) json.cumQty = json.executedQty;
  Object.assign(json, {
    cumQuote: quoteText(cumQuote),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side,
    positionSide: o.positionSide,
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: STP_MODE,
    goodTillDate: 0,
  });
  if (view.query) json.time = o.time;
  json.updateTime = view.ack ? o.time : o.updateTime;
  return json;
}
