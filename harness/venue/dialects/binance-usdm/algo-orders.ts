/**
 * Conditional (algo) orders of Binance USD-M, which since 2025-11 live behind their own endpoints:
 * POST/GET/DELETE /fapi/v1/algoOrder, GET /fapi/v1/openAlgoOrders, DELETE /fapi/v1/algoOpenOrders.
 * STOP_MARKET / TAKE_PROFIT_MARKET / STOP / TAKE_PROFIT are held here and, when a tick crosses the
 * trigger (CONTRACT_PRICE and MARK_PRICE both read the simulated mid), placed on the engine as a
 * MARKET or LIMIT order (closePosition: the whole position, reduce-only). Algo status follows
 * Binance: NEW -> TRIGGERED (order placed) -> FINISHED (order done), or CANCELED / EXPIRED /
 * REJECTED. Not simulated: TRAILING_STOP_MARKET, priceProtect, ALGO_UPDATE stream events.
 * Hedge mode: positionSide LONG or SHORT is required (BOTH in one-way mode, else -4061), reduceOnly
 * may not be sent (-1106); closePosition closes the order's leg, and only SELL LONG or BUY SHORT
 * may carry it ("In Hedge Mode, cannot be used with BUY orders in LONG position side and cannot be
 * used with SELL orders in SHORT position side"; Binance documents no code, the venue answers -1130).
 */

import type { RequestHandler } from 'msw';
import type { BookTop } from '../../../market/price-path.ts';
import { type Account, closesLeg, type PositionSide } from '../../engine/account.ts';
import { fixed } from '../../engine/decimal.ts';
import { isOpen, type NewOrder, type Order } from '../../engine/order.ts';
import { accountOf, type Call, type DialectContext, endpoint } from './endpoint.ts';
import { BinanceError, errors } from './errors.ts';
import { STP_MODE } from './format.ts';
import { autoClientOrderId, boolParam, CLIENT_ORDER_ID, parseNewOrder, parsePositionSide } from './order-request.ts';
import { param, type RequestParams } from './params.ts';
import { jsonReply, type VenueReply } from './reply.ts';
import { symbolOrThrow } from './rest-market.ts';
import { route } from './routes.ts';

type AlgoType = 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'STOP' | 'TAKE_PROFIT';
type AlgoStatus = 'NEW' | 'TRIGGERED' | 'FINISHED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
const TYPES: readonly string[] = ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT'];

interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  instance: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  positionSide: PositionSide;
  orderType: AlgoType;
  timeInForce: string;
  /** '0' with closePosition. */
  quantityText: string;
  priceText: string;
  triggerPrice: number;
  triggerText: string;
  workingType: string;
  reduceOnly: boolean;
  closePosition: boolean;
  createTime: number;
  updateTime: number;
  triggerTime: number;
  status: AlgoStatus;
  actual: Order | undefined;
}

/** True when `price` is on the trigger side: stops fire moving against the side, take-profits with it. */
function crossed(a: AlgoOrder, price: number): boolean {
  const stop = a.orderType === 'STOP_MARKET' || a.orderType === 'STOP';
  const up = (a.side === 'BUY') === stop;
  return up ? price >= a.triggerPrice : price <= a.triggerPrice;
}

function status(a: AlgoOrder): AlgoStatus {
  if (a.status === 'TRIGGERED' && a.actual && !isOpen(a.actual)) a.status = 'FINISHED';
  return a.status;
}

function algoJson(ctx: DialectContext, a: AlgoOrder, query: boolean) {
  const d = ctx.engine.decimals(a.symbol);
  const json: Record<string, unknown> = {
    algoId: a.algoId,
    clientAlgoId: a.clientAlgoId,
    algoType: 'CONDITIONAL',
    orderType: a.orderType,
    symbol: a.symbol,
    side: a.side,
    positionSide: a.positionSide,
    timeInForce: a.timeInForce,
    quantity: a.quantityText,
    algoStatus: status(a),
    triggerPrice: a.triggerText,
    price: a.priceText,
    icebergQuantity: null,
    selfTradePreventionMode: STP_MODE,
    workingType: a.workingType,
    priceMatch: 'NONE',
    closePosition: a.closePosition,
    priceProtect: false,
    reduceOnly: a.reduceOnly,
    createTime: a.createTime,
    updateTime: a.updateTime,
    triggerTime: a.triggerTime,
    goodTillDate: 0,
  };
  if (query) {
    json.actualOrderId = a.actual ? String(a.actual.orderId) : '';
    json.actualPrice = a.actual && a.actual.executedQty > 0 ? fixed(a.actual.cumQuote / a.actual.executedQty, d.price) : '';
  }
  return json;
}

export class AlgoOrders {
  readonly #ctx: DialectContext;
  readonly #orders: AlgoOrder[] = [];
  #nextId = 3_000_001;

  constructor(ctx: DialectContext) {
    this.#ctx = ctx;
  }

  #create(call: Call): VenueReply {
    const ctx = this.#ctx;
    const account = accountOf(call);
    const p = call.params;
    const algoType = param(p, 'algoType');
    if (algoType === undefined) throw errors.mandatory('algoType');
    if (algoType !== 'CONDITIONAL') throw errors.invalidParam('algoType');
    const symbolText = param(p, 'symbol');
    if (symbolText === undefined) throw errors.mandatory('symbol');
    const cfg = symbolOrThrow(ctx, symbolText);
    const side = param(p, 'side');
    if (side === undefined) throw errors.mandatory('side');
    if (side !== 'BUY' && side !== 'SELL') throw errors.invalidSide();
    const type = param(p, 'type');
    if (type === undefined) throw errors.mandatory('type');
    if (!TYPES.includes(type)) throw errors.invalidOrderType();
    const positionSide = parsePositionSide(p, account.dualSide);
    const triggerText = param(p, 'triggerPrice');
    if (triggerText === undefined || !/^\d+(\.\d+)?$/.test(triggerText)) throw errors.mandatory('triggerPrice');
    const workingType = param(p, 'workingType') ?? 'CONTRACT_PRICE';
    if (workingType !== 'CONTRACT_PRICE' && workingType !== 'MARK_PRICE') throw errors.invalidParam('workingType');
    const closePosition = boolParam(p, 'closePosition');
    const reduceOnly = boolParam(p, 'reduceOnly');
    const market = type.endsWith('_MARKET');
    if (closePosition && !market) throw errors.invalidParam('closePosition');
    if (closePosition && param(p, 'quantity') !== undefined) throw errors.notRequired('quantity');
    if (closePosition && reduceOnly) throw errors.notRequired('reduceOnly');
    if (closePosition && positionSide !== 'BOTH' && !closesLeg(positionSide, side)) throw errors.invalidParam('closePosition');
    const clientAlgoId = param(p, 'clientAlgoId');
    if (clientAlgoId !== undefined) {
      if (clientAlgoId.length > 36) throw errors.clientIdTooLong();
      if (!CLIENT_ORDER_ID.test(clientAlgoId)) throw errors.illegalChars('clientAlgoId', '^[\\.A-Z\\:/a-z0-9_-]{1,36}$');
    }

    // The order it will place must pass the filters now (as Binance checks them on submission).
    let quantityText = '0';
    let priceText = '0';
    let timeInForce = 'GTC';
    if (!closePosition) {
      const values = new Map<string, string>([
        ['symbol', cfg.symbol],
        ['side', side],
        ['type', market ? 'MARKET' : 'LIMIT'],
        ['quantity', param(p, 'quantity') ?? ''],
      ]);
      if (positionSide === 'BOTH') values.set('reduceOnly', String(reduceOnly));
      else values.set('positionSide', positionSide);
      if (!market) {
        values.set('price', param(p, 'price') ?? '');
        values.set('timeInForce', param(p, 'timeInForce') ?? 'GTC');
      }
      const parsed = parseNewOrder(ctx.engine, { query: '', body: '', values } satisfies RequestParams, {}, account.dualSide);
      quantityText = parsed.order.qtyText;
      priceText = parsed.order.priceText ?? '0';
      timeInForce = parsed.order.timeInForce ?? 'GTC';
    }
    const trigger = Number(triggerText);
    const now = ctx.engine.now();
    const a: AlgoOrder = {
      algoId: this.#nextId++,
      clientAlgoId: clientAlgoId ?? autoClientOrderId(),
      instance: account.instance,
      symbol: cfg.symbol,
      side,
      positionSide,
      orderType: type as AlgoType,
      timeInForce,
      quantityText,
      priceText,
      triggerPrice: trigger,
      triggerText,
      workingType,
      reduceOnly: reduceOnly || closePosition || closesLeg(positionSide, side),
      closePosition,
      createTime: now,
      updateTime: now,
      triggerTime: 0,
      status: 'NEW',
      actual: undefined,
    };
    const mid = ctx.engine.books.get(cfg.symbol)?.mid;
    if (mid === undefined) throw errors.noDepth();
    if (crossed(a, mid)) throw errors.wouldTrigger();
    this.#orders.push(a);
    ctx.recorder.record(
      'venue',
      'algo.new',
      {
        algoId: a.algoId,
        clientAlgoId: a.clientAlgoId,
        symbol: a.symbol,
        side,
        type,
        quantity: quantityText,
        triggerPrice: triggerText,
        closePosition,
        reduceOnly: a.reduceOnly,
        ...(positionSide !== 'BOTH' ? { positionSide } : {}),
      },
      account.instance,
    );
    return jsonReply(algoJson(ctx, a, false));
  }

  #find(call: Call): AlgoOrder | undefined {
    const id = param(call.params, 'algoId');
    const cid = param(call.params, 'clientAlgoId');
    if (id === undefined && cid === undefined) throw errors.mandatoryEither('algoId', 'clientAlgoId');
    if (id !== undefined && !/^\d+$/.test(id)) throw errors.invalidParam('algoId');
    const instance = accountOf(call).instance;
    for (let i = this.#orders.length - 1; i >= 0; i--) {
      const a = this.#orders[i] as AlgoOrder;
      if (a.instance !== instance) continue;
      if (id !== undefined ? a.algoId === Number(id) : a.clientAlgoId === cid) return a;
    }
    return undefined;
  }

  #end(a: AlgoOrder, s: 'CANCELED' | 'EXPIRED' | 'REJECTED', why: string): void {
    a.status = s;
    a.updateTime = this.#ctx.engine.now();
    this.#ctx.recorder.record('venue', 'algo.end', { algoId: a.algoId, clientAlgoId: a.clientAlgoId, symbol: a.symbol, status: s, reason: why }, a.instance);
  }

  #open(instance: string, symbol: string | undefined): AlgoOrder[] {
    return this.#orders.filter((a) => a.instance === instance && status(a) === 'NEW' && (symbol === undefined || a.symbol === symbol));
  }

  /** Fires the algo orders a new top of book triggers. */
  onTick(symbol: string, top: BookTop): void {
    for (const a of this.#orders) {
      if (a.symbol !== symbol || a.status !== 'NEW' || !crossed(a, top.mid)) continue;
      const account = this.#ctx.engine.accountByInstance(a.instance) as Account;
      const d = this.#ctx.engine.decimals(symbol);
      let qtyText = a.quantityText;
      if (a.closePosition) {
        const pos = this.#ctx.engine.position(a.instance, symbol, a.positionSide);
        const closes = a.side === 'BUY' ? pos < 0 : pos > 0;
        if (!closes) {
          this.#end(a, 'EXPIRED', 'no position to close');
          continue;
        }
        qtyText = fixed(Math.abs(pos), d.qty);
      }
      const order: NewOrder = {
        symbol,
        side: a.side,
        type: a.orderType.endsWith('_MARKET') ? 'MARKET' : 'LIMIT',
        qty: Number(qtyText),
        qtyText,
        reduceOnly: a.reduceOnly,
        clientOrderId: autoClientOrderId(),
      };
      if (a.positionSide !== 'BOTH') order.positionSide = a.positionSide;
      if (order.type === 'LIMIT') {
        order.price = Number(a.priceText);
        order.priceText = a.priceText;
        order.timeInForce = a.timeInForce as NewOrder['timeInForce'];
      }
      a.triggerTime = this.#ctx.engine.now();
      a.updateTime = a.triggerTime;
      this.#ctx.recorder.record('venue', 'algo.trigger', { algoId: a.algoId, clientAlgoId: a.clientAlgoId, symbol, mid: String(top.mid) }, a.instance);
      const placed = this.#ctx.engine.place(account, order);
      if (!placed.ok) {
        this.#end(a, 'REJECTED', placed.reason.kind);
        continue;
      }
      a.status = 'TRIGGERED';
      a.actual = placed.order;
    }
  }

  handlers(): RequestHandler[] {
    const ctx = this.#ctx;
    return [
      route.post(
        '*/fapi/v1/algoOrder',
        endpoint(ctx, { security: 'SIGNED', weight: 0 }, (call) => {
          const count = ctx.usage.addOrder(accountOf(call).instance, ctx.engine.now());
          Object.assign(call.headers, count.headers);
          try {
            if (count.refusal) throw count.refusal;
            return this.#create(call);
          } catch (err) {
            if (err instanceof BinanceError) ctx.recorder.record('venue', 'algo.reject', { code: err.code, msg: err.message }, accountOf(call).instance);
            throw err;
          }
        }),
      ),
      route.get(
        '*/fapi/v1/algoOrder',
        endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => {
          const a = this.#find(call);
          if (!a) throw errors.noSuchOrder();
          return jsonReply(algoJson(ctx, a, true));
        }),
      ),
      route.delete(
        '*/fapi/v1/algoOrder',
        endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => {
          const a = this.#find(call);
          if (!a || status(a) !== 'NEW') throw errors.cancelRejected();
          this.#end(a, 'CANCELED', 'user');
          return jsonReply({ algoId: a.algoId, clientAlgoId: a.clientAlgoId, code: '200', msg: 'success' });
        }),
      ),
      route.get(
        '*/fapi/v1/openAlgoOrders',
        endpoint(ctx, { security: 'SIGNED', weight: (p) => (param(p, 'symbol') ? 1 : 40) }, (call) => {
          const symbolText = param(call.params, 'symbol');
          const symbol = symbolText === undefined ? undefined : symbolOrThrow(ctx, symbolText).symbol;
          return jsonReply(this.#open(accountOf(call).instance, symbol).map((a) => algoJson(ctx, a, true)));
        }),
      ),
      route.delete(
        '*/fapi/v1/algoOpenOrders',
        endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => {
          const symbolText = param(call.params, 'symbol');
          if (symbolText === undefined) throw errors.mandatory('symbol');
          const { symbol } = symbolOrThrow(ctx, symbolText);
          for (const a of this.#open(accountOf(call).instance, symbol)) this.#end(a, 'CANCELED', 'user');
          return jsonReply({ code: 200, msg: 'The operation of cancel all open order is done.' });
        }),
      ),
    ];
  }
}
