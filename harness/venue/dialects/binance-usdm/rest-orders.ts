/**
 * Order endpoints: POST/GET/DELETE /fapi/v1/order, GET /fapi/v1/openOrder and openOrders,
 * DELETE /fapi/v1/allOpenOrders and GET /fapi/v1/userTrades, in one-way and hedge mode.
 * Every refused new order is recorded as order.reject with its Binance code; accepted ones are
 * recorded by the engine (order.new, then fills).
 */

import type { RequestHandler } from 'msw';
import { fixed } from '../../engine/decimal.ts';
import { isOpen, type Order, type RejectReason, type Trade } from '../../engine/order.ts';
import { noteListPage } from '../../request-context.ts';
import { checkLeverageCap } from './bracket-limit.ts';
import { accountOf, type Call, type DialectContext, endpoint } from './endpoint.ts';
import { BinanceError, errors } from './errors.ts';
import { orderJson, quoteText } from './format.ts';
import { parseNewOrder, type RejectDraft } from './order-request.ts';
import { param } from './params.ts';
import { jsonReply, type VenueReply } from './reply.ts';
import { symbolOrThrow } from './rest-market.ts';
import { route } from './routes.ts';

function rejectError(reason: RejectReason): BinanceError {
  switch (reason.kind) {
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return errors.duplicateClientId();
    case 'NO_PRICE':
      return errors.noDepth();
    case 'POSITION_SIDE_MISMATCH':
      return errors.positionSideMismatch();
    case 'REDUCE_ONLY':
      return errors.reduceOnlyRejected();
    case 'POST_ONLY_WOULD_TAKE':
      return errors.gtxRejected();
    case 'FOK_UNFILLABLE':
      return errors.fokRejected();
    case 'INSUFFICIENT_MARGIN':
      return errors.marginInsufficient();
  }
}

function newOrder(ctx: DialectContext, call: Call): VenueReply {
  const account = accountOf(call);
  const count = ctx.usage.addOrder(account.instance, ctx.engine.now());
  Object.assign(call.headers, count.headers);
  const draft: RejectDraft = {};
  try {
    if (count.refusal) throw count.refusal;
    const { order, respType } = parseNewOrder(ctx.engine, call.params, draft, account.dualSide);
    checkLeverageCap(ctx, account, order);
    const placed = ctx.engine.place(account, order);
    if (!placed.ok) throw rejectError(placed.reason);
    const d = ctx.engine.decimals(order.symbol);
    return jsonReply(orderJson(placed.order, d, { ack: respType === 'ACK' }));
  } catch (err) {
    if (err instanceof BinanceError) {
      ctx.recorder.record('venue', 'order.reject', { ...draft, code: err.code, msg: err.message }, account.instance);
    }
    throw err;
  }
}

/** orderId or origClientOrderId, as Binance requires one of them (orderId wins). */
function orderRef(call: Call): { orderId?: number; clientOrderId?: string } {
  const id = param(call.params, 'orderId');
  if (id !== undefined) {
    if (!/^\d+$/.test(id)) throw errors.mandatory('orderId');
    return { orderId: Number(id) };
  }
  const cid = param(call.params, 'origClientOrderId');
  if (cid === undefined) throw errors.mandatoryEither('orderId', 'origClientOrderId');
  return { clientOrderId: cid };
}

function lookup(ctx: DialectContext, call: Call, notFound: () => BinanceError, act: (o: Order) => Order | undefined): VenueReply {
  const symbolText = param(call.params, 'symbol');
  if (symbolText === undefined) throw errors.mandatory('symbol');
  const { symbol } = symbolOrThrow(ctx, symbolText);
  const ref = orderRef(call);
  const found = ctx.engine.find(accountOf(call), symbol, ref);
  const result = found ? act(found) : undefined;
  if (!result) throw notFound();
  return jsonReply(orderJson(result, ctx.engine.decimals(symbol), { query: call.request.method === 'GET' }));
}

const WEEK_MS = 7 * 24 * 3_600_000;

function optionalInt(call: Call, name: string): number | undefined {
  const text = param(call.params, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw errors.invalidParam(name);
  return Number(text);
}

/**
 * GET /fapi/v1/userTrades selection, Binance's rules: symbol mandatory; fromId excludes
 * startTime/endTime; a time range is at most 7 days; neither given means the last 7 days;
 * limit 1..1000, default 500, oldest first.
 */
function userTrades(ctx: DialectContext, call: Call): VenueReply {
  const symbolText = param(call.params, 'symbol');
  if (symbolText === undefined) throw errors.mandatory('symbol');
  const { symbol } = symbolOrThrow(ctx, symbolText);
  const orderId = optionalInt(call, 'orderId');
  const fromId = optionalInt(call, 'fromId');
  let start = optionalInt(call, 'startTime');
  let end = optionalInt(call, 'endTime');
  const limit = optionalInt(call, 'limit') ?? 500;
  if (limit < 1 || limit > 1000) throw errors.invalidParam('limit');
  if (fromId !== undefined && (start !== undefined || end !== undefined)) throw errors.badCombination();
  const now = ctx.engine.now();
  if (fromId === undefined && orderId === undefined) {
    if (start === undefined && end === undefined) start = now - WEEK_MS;
    else if (start === undefined) start = (end as number) - WEEK_MS;
    else end ??= start + WEEK_MS;
    if ((end as number) - start > WEEK_MS) throw errors.invalidParam('endTime');
  }
  const instance = accountOf(call).instance;
  const rows: Trade[] = [];
  for (const t of ctx.engine.trades) {
    if (t.instance !== instance || t.symbol !== symbol) continue;
    if (orderId !== undefined && t.orderId !== orderId) continue;
    if (fromId !== undefined && t.tradeId < fromId) continue;
    if (start !== undefined && t.time < start) continue;
    if (end !== undefined && t.time > end) continue;
    rows.push(t);
    if (rows.length >= limit) break;
  }
  noteListPage({ rows: rows.length, limit, ...(fromId !== undefined ? { fromId } : {}), ...(start !== undefined ? { startTime: start } : {}) });
  const d = ctx.engine.decimals(symbol);
  return jsonReply(
    rows.map((t) => ({
      buyer: t.side === 'BUY',
      commission: fixed(t.commission, 8),
      commissionAsset: 'USDT',
      id: t.tradeId,
      maker: t.maker,
      orderId: t.orderId,
      price: fixed(t.price, d.price),
      qty: fixed(t.qty, d.qty),
      quoteQty: quoteText(t.qty * t.price),
      realizedPnl: fixed(t.realizedPnl, 8),
      side: t.side,
      positionSide: t.positionSide,
      symbol: t.symbol,
      time: t.time,
    })),
  );
}

export function orderHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    route.post(
      '*/fapi/v1/order',
      endpoint(ctx, { security: 'SIGNED', weight: 0 }, (call) => newOrder(ctx, call)),
    ),
    route.get(
      '*/fapi/v1/order',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => lookup(ctx, call, errors.noSuchOrder, (o) => o)),
    ),
    route.delete(
      '*/fapi/v1/order',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) =>
        lookup(ctx, call, errors.cancelRejected, (o) => {
          const refused = isOpen(o) ? ctx.cancelRefusals.take(ctx, o, 'single') : undefined;
          if (refused) throw new BinanceError(refused.status, refused.code, refused.msg);
          return ctx.engine.cancel(accountOf(call), o.symbol, { orderId: o.orderId });
        }),
      ),
    ),
    route.get(
      '*/fapi/v1/openOrder',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => lookup(ctx, call, errors.noSuchOrder, (o) => (isOpen(o) ? o : undefined))),
    ),
    route.delete(
      '*/fapi/v1/allOpenOrders',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => {
        const symbolText = param(call.params, 'symbol');
        if (symbolText === undefined) throw errors.mandatory('symbol');
        const { symbol } = symbolOrThrow(ctx, symbolText);
        const account = accountOf(call);
        for (const o of ctx.engine.openOrders(account, symbol)) ctx.engine.cancel(account, symbol, { orderId: o.orderId });
        return jsonReply({ code: 200, msg: 'The operation of cancel all open order is done.' });
      }),
    ),
    route.get(
      '*/fapi/v1/userTrades',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => userTrades(ctx, call)),
    ),
    route.get(
      '*/fapi/v1/openOrders',
      endpoint(ctx, { security: 'SIGNED', weight: (p) => (param(p, 'symbol') ? 1 : 40) }, (call) => {
        const symbolText = param(call.params, 'symbol');
        const symbol = symbolText === undefined ? undefined : symbolOrThrow(ctx, symbolText).symbol;
        const open = ctx.engine.openOrders(accountOf(call), symbol);
        return jsonReply(open.map((o) => orderJson(o, ctx.engine.decimals(o.symbol), { query: true })));
      }),
    ),
  ];
}
