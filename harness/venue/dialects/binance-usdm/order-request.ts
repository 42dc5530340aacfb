/**
 * Parses and filter-checks POST /fapi/v1/order parameters the way Binance USD-M does, in its order:
 * mandatory params and enums, client order id, quantity and price filters (precision, LOT_SIZE /
 * MARKET_LOT_SIZE, PRICE_FILTER), then the checks that need a price: book present, PERCENT_PRICE,
 * MIN_NOTIONAL (waived for reduce-only). State checks (reduce-only, margin) are the engine's.
 * positionSide follows the account's mode (parsePositionSide); a hedge-mode close (SELL LONG,
 * BUY SHORT) is reduce-only by nature, so it too is exempt from MIN_NOTIONAL and margin.
 */
import { rngFor } from '../../../core/rng.ts';
import { closesLeg, type PositionSide } from '../../engine/account.ts';
import { compareDecimal, fixed, isDecimalText, isMultipleOf, significantDecimals } from '../../engine/decimal.ts';
import type { VenueEngine } from '../../engine/engine.ts';
import type { NewOrder, OrderType, Side, TimeInForce } from '../../engine/order.ts';
import { errors } from './errors.ts';
import { MAX_PRICE, MULTIPLIER_DOWN, MULTIPLIER_UP } from './exchange-info.ts';
import { param, type RequestParams } from './params.ts';

export const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const CLIENT_ORDER_ID_RANGE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';
const TIFS: readonly string[] = ['GTC', 'IOC', 'FOK', 'GTX'];
/** Order types that only the algo order endpoints accept. */
export const ALGO_TYPES: readonly string[] = ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Seeded so auto-generated ids are the same on a rerun of the same scenario.
const idRng = rngFor(0, 'venue:binance-usdm:client-order-id');

/** Binance-style auto-generated client order id (22 alphanumerics). */
export function autoClientOrderId(): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += ALPHABET[idRng.int(0, ALPHABET.length - 1)];
  return id;
}

/** What is known of an order when it is refused, for the order.reject history event. */
export interface RejectDraft {
  symbol?: string;
  side?: string;
  type?: string;
  /** The quantity as sent, also when it is no number (recorded before it is validated). */
  qty?: string;
  /** The price as sent, when one was. */
  price?: string;
  reduceOnly?: boolean;
  /** Hedge mode only. */
  positionSide?: string;
}

export interface ParsedOrder {
  order: NewOrder;
  respType: 'ACK' | 'RESULT';
}

export function boolParam(p: RequestParams, name: string): boolean {
  const v = param(p, name);
  if (v === undefined) return false;
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  throw errors.invalidParam(name);
}

/**
 * positionSide against the account's mode (Binance New Order: "Default BOTH for One-way Mode;
 * LONG or SHORT for Hedge Mode. It must be sent in Hedge Mode."), else -4061. In hedge mode
 * reduceOnly "Cannot be sent in Hedge Mode": -1106 when sent at all.
 */
export function parsePositionSide(p: RequestParams, dualSide: boolean): PositionSide {
  const positionSide = param(p, 'positionSide');
  if (!dualSide) {
    if (positionSide !== undefined && positionSide !== 'BOTH') throw errors.positionSideMismatch();
    return 'BOTH';
  }
  if (positionSide !== 'LONG' && positionSide !== 'SHORT') throw errors.positionSideMismatch();
  if (param(p, 'reduceOnly') !== undefined) throw errors.notRequired('reduceOnly');
  return positionSide;
}

export function parseNewOrder(engine: VenueEngine, p: RequestParams, draft: RejectDraft, dualSide = false): ParsedOrder {
  const symbol = param(p, 'symbol');
  if (symbol === undefined) throw errors.mandatory('symbol');
  draft.symbol = symbol;
  const cfg = engine.symbols.get(symbol);
  if (!cfg) throw errors.invalidSymbol();
  const side = param(p, 'side');
  if (side === undefined) throw errors.mandatory('side');
  draft.side = side;
  if (side !== 'BUY' && side !== 'SELL') throw errors.invalidSide();
  const type = param(p, 'type');
  if (type === undefined) throw errors.mandatory('type');
  draft.type = type;
  // Conditional types moved to /fapi/v1/algoOrder (Binance change log 2025-11-06).
  if (ALGO_TYPES.includes(type)) throw errors.useAlgoEndpoint();
  // Only MARKET and LIMIT are simulated; other real types are refused rather than mis-simulated.
  if (type !== 'MARKET' && type !== 'LIMIT') throw errors.invalidOrderType();
  const positionSide = parsePositionSide(p, dualSide);
  if (positionSide !== 'BOTH') draft.positionSide = positionSide;
  // A hedge-mode close (SELL LONG, BUY SHORT) is reduce-only by nature, as Binance reports it.
  draft.reduceOnly = positionSide === 'BOTH' ? boolParam(p, 'reduceOnly') : closesLeg(positionSide, side);
  const qtyText = param(p, 'quantity');
  if (qtyText !== undefined) draft.qty = qtyText.slice(0, 64);
  const sentPrice = param(p, 'price');
  if (sentPrice !== undefined) draft.price = sentPrice.slice(0, 64);
  if (qtyText === undefined || !isDecimalText(qtyText)) throw errors.mandatory('quantity');

  let timeInForce: TimeInForce | undefined;
  let priceText: string | undefined;
  if (type === 'LIMIT') {
    const tif = param(p, 'timeInForce');
    if (tif === undefined) throw errors.mandatory('timeInForce');
    if (!TIFS.includes(tif)) throw errors.invalidTif();
    timeInForce = tif as TimeInForce;
    priceText = param(p, 'price');
    if (priceText === undefined || !isDecimalText(priceText)) throw errors.mandatory('price');
  } else if (param(p, 'price') !== undefined) {
    throw errors.notRequired('price');
  }

  let clientOrderId = param(p, 'newClientOrderId');
  if (clientOrderId !== undefined) {
    if (clientOrderId.length > 36) throw errors.clientIdTooLong();
    if (!CLIENT_ORDER_ID.test(clientOrderId)) throw errors.illegalChars('newClientOrderId', CLIENT_ORDER_ID_RANGE);
  }
  const respType = param(p, 'newOrderRespType') ?? 'ACK';
  if (respType !== 'ACK' && respType !== 'RESULT') throw errors.invalidRespType();

  // LOT_SIZE for LIMIT, MARKET_LOT_SIZE for MARKET.
  if (significantDecimals(qtyText) > cfg.quantityPrecision) throw errors.badPrecision();
  if (compareDecimal(qtyText, '0') <= 0) throw errors.qtyNotPositive();
  if (compareDecimal(qtyText, cfg.minQty) < 0) throw errors.qtyBelowMin();
  if (compareDecimal(qtyText, type === 'MARKET' ? cfg.marketMaxQty : cfg.maxQty) > 0) throw errors.qtyAboveMax();
  if (!isMultipleOf(qtyText, cfg.stepSize)) throw errors.qtyNotStep();
  if (priceText !== undefined) {
    if (significantDecimals(priceText) > cfg.pricePrecision) throw errors.badPrecision();
    if (compareDecimal(priceText, '0') < 0) throw errors.priceLessThanZero();
    if (compareDecimal(priceText, cfg.tickSize) < 0) throw errors.priceBelowMin();
    if (compareDecimal(priceText, MAX_PRICE) > 0) throw errors.priceAboveMax();
    if (!isMultipleOf(priceText, cfg.tickSize)) throw errors.priceNotTick();
  }

  const top = engine.books.get(symbol);
  if (!top) throw errors.noDepth();
  const qty = Number(qtyText);
  const price = priceText === undefined ? undefined : Number(priceText);
  const tick = significantDecimals(cfg.tickSize);
  if (price !== undefined && side === 'BUY' && price > top.mid * Number(MULTIPLIER_UP))
    throw errors.priceAboveCap(fixed(top.mid * Number(MULTIPLIER_UP), tick));
  if (price !== undefined && side === 'SELL' && price < top.mid * Number(MULTIPLIER_DOWN))
    throw errors.priceBelowFloor(fixed(top.mid * Number(MULTIPLIER_DOWN), tick));
  // MIN_NOTIONAL: "Since MARKET orders have no price, the mark price is used."
  if (!draft.reduceOnly && qty * (price ?? top.mid) < Number(cfg.minNotional)) throw errors.minNotional(cfg.minNotional);

  clientOrderId ??= autoClientOrderId();
  const order: NewOrder = { symbol, side: side as Side, type: type as OrderType, qty, qtyText, reduceOnly: draft.reduceOnly, clientOrderId };
  if (positionSide !== 'BOTH') order.positionSide = positionSide;
  if (timeInForce !== undefined) order.timeInForce = timeInForce;
  if (price !== undefined) order.price = price;
  if (priceText !== undefined) order.priceText = priceText;
  return { order, respType: respType as 'ACK' | 'RESULT' };
}
