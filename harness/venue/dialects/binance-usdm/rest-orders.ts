/**
 * Order endpoints: POST/GET/DELETE /fapi/v1/order and GET /fapi/v1/openOrders (one-way mode).
 * Every refused new order is recorded as order.reject with its Binance code; accepted ones are
 * recorded by the engine (order.new, then fills).
 */
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { Order, RejectReason } from '../../engine/order.ts';
import { accountOf, type Call, type DialectContext, endpoint } from './endpoint.ts';
import { BinanceError, errors } from './errors.ts';
import { orderJson } from './format.ts';
import { parseNewOrder, type RejectDraft } from './order-request.ts';
import { param } from './params.ts';
import { symbolOrThrow } from './rest-market.ts';

function rejectError(reason: RejectReason): BinanceError {
  switch (reason.kind) {
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return errors.duplicateClientId();
    case 'NO_PRICE':
      return errors.noDepth();
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

function newOrder(ctx: DialectContext, call: Call): Response {
  const account = accountOf(call);
  Object.assign(call.headers, ctx.usage.addOrder(account.instance, ctx.engine.now()));
  const draft: RejectDraft = {};
  try {
    const { order, respType } = parseNewOrder(ctx.engine, call.params, draft);
    const placed = ctx.engine.place(account, order);
    if (!placed.ok) throw rejectError(placed.reason);
    const d = ctx.engine.decimals(order.symbol);
    return HttpResponse.json(orderJson(placed.order, d, { ack: respType === 'ACK' }));
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

function lookup(ctx: DialectContext, call: Call, notFound: () => BinanceError, act: (o: Order) => Order | undefined): Response {
  const symbolText = param(call.params, 'symbol');
  if (symbolText === undefined) throw errors.mandatory('symbol');
  const { symbol } = symbolOrThrow(ctx, symbolText);
  const ref = orderRef(call);
  const found = ctx.engine.find(accountOf(call), symbol, ref);
  const result = found ? act(found) : undefined;
  if (!result) throw notFound();
  return HttpResponse.json(orderJson(result, ctx.engine.decimals(symbol), { query: call.request.method === 'GET' }));
}

export function orderHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    http.post(
      '*/fapi/v1/order',
      endpoint(ctx, { security: 'SIGNED', weight: 0 }, (call) => newOrder(ctx, call)),
    ),
    http.get(
      '*/fapi/v1/order',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => lookup(ctx, call, errors.noSuchOrder, (o) => o)),
    ),
    http.delete(
      '*/fapi/v1/order',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) =>
        lookup(ctx, call, errors.cancelRejected, (o) => ctx.engine.cancel(accountOf(call), o.symbol, { orderId: o.orderId })),
      ),
    ),
    http.get(
      '*/fapi/v1/openOrders',
      endpoint(ctx, { security: 'SIGNED', weight: (p) => (param(p, 'symbol') ? 1 : 40) }, (call) => {
        const symbolText = param(call.params, 'symbol');
        const symbol = symbolText === undefined ? undefined : symbolOrThrow(ctx, symbolText).symbol;
        const open = ctx.engine.openOrders(accountOf(call), symbol);
        return HttpResponse.json(open.map((o) => orderJson(o, ctx.engine.decimals(o.symbol), { query: true })));
      }),
    ),
  ];
}
