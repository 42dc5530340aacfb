/**
 * DELETE /fapi/v1/batchOrders (Binance "Cancel Multiple Orders", TRADE, weight 1): symbol, and
 * either orderIdList (JSON array of order ids) or origClientOrderIdList (JSON array of client
 * order ids), at most 10, never both. The answer is one entry per requested order, in request
 * order: the order as cancelled, or {"code": -2011, "msg": "Unknown order sent."} for one that is
 * unknown or already final (or the refusal a fault set, harness/venue/dialects/binance-usdm/cancel-refusals.ts).
 * A batch is answered HTTP 200 whatever its entries say, so a client learns of a failed cancel
 * only by reading each entry.
 */

import type { RequestHandler } from 'msw';
import { isOpen } from '../../engine/order.ts';
import { accountOf, type Call, type DialectContext, endpoint } from './endpoint.ts';
import { errors } from './errors.ts';
import { orderJson } from './format.ts';
import { param } from './params.ts';
import { jsonReply, type VenueReply } from './reply.ts';
import { symbolOrThrow } from './rest-market.ts';
import { route } from './routes.ts';

export const MAX_BATCH = 10;

type Ref = { orderId: number } | { clientOrderId: string };

/** The refs of a batch: `["a","b"]` or `[1,2]`, as Binance reads them (JSON, at most MAX_BATCH). */
function batchRefs(call: Call): Ref[] {
  const ids = param(call.params, 'orderIdList');
  const cids = param(call.params, 'origClientOrderIdList');
  if (ids !== undefined && cids !== undefined) throw errors.badCombination();
  if (ids === undefined && cids === undefined) throw errors.mandatoryEither('orderIdList', 'origClientOrderIdList');
  const name = ids !== undefined ? 'orderIdList' : 'origClientOrderIdList';
  let list: unknown;
  try {
    list = JSON.parse((ids ?? cids) as string);
  } catch {
    throw errors.invalidParam(name);
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) throw errors.invalidParam(name);
  if (ids !== undefined) {
    if (!list.every((x) => Number.isSafeInteger(x) && x > 0)) throw errors.invalidParam(name);
    return list.map((orderId: number) => ({ orderId }));
  }
  if (!list.every((x) => typeof x === 'string' && x !== '')) throw errors.invalidParam(name);
  return list.map((clientOrderId: string) => ({ clientOrderId }));
}

function cancelBatch(ctx: DialectContext, call: Call): VenueReply {
  const symbolText = param(call.params, 'symbol');
  if (symbolText === undefined) throw errors.mandatory('symbol');
  const { symbol } = symbolOrThrow(ctx, symbolText);
  const refs = batchRefs(call);
  const account = accountOf(call);
  const d = ctx.engine.decimals(symbol);
  return jsonReply(
    refs.map((ref) => {
      const found = ctx.engine.find(account, symbol, ref);
      const refused = found && isOpen(found) ? ctx.cancelRefusals.take(ctx, found, 'batch') : undefined;
      if (refused) return { code: refused.code, msg: refused.msg };
      const done = found && isOpen(found) ? ctx.engine.cancel(account, symbol, { orderId: found.orderId }) : undefined;
      if (!done) {
        const e = errors.cancelRejected();
        return { code: e.code, msg: e.message };
      }
      return orderJson(done, d, {});
    }),
  );
}

export function batchHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    route.delete(
      '*/fapi/v1/batchOrders',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => cancelBatch(ctx, call)),
    ),
  ];
}
