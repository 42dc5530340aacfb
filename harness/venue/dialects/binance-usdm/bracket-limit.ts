/**
 * Binance's -2027 on a new order: the position the order could leave, counting the account's
 * working orders on the same side of the position, may not exceed the notional cap of the
 * symbol's brackets at the account's leverage (GET /fapi/v1/leverageBracket; positionRisk
 * maxNotionalValue). An order that reduces the position, or leaves it no larger, is never refused.
 * The notional is priced at the order's limit price, or for a MARKET order at the touch it takes.
 */

import type { Account } from '../../engine/account.ts';
import { sidePosition } from '../../engine/account.ts';
import type { NewOrder } from '../../engine/order.ts';
import type { DialectContext } from './endpoint.ts';
import { errors } from './errors.ts';
import { maxNotionalOf } from './rest-account.ts';

export function checkLeverageCap(ctx: DialectContext, account: Account, order: NewOrder): void {
  if (order.reduceOnly) return;
  const positionSide = order.positionSide ?? 'BOTH';
  const book = ctx.engine.books.get(order.symbol);
  if (!book) return; // the engine answers -1112 (no price) itself
  const sign = order.side === 'BUY' ? 1 : -1;
  const pos = sidePosition(account, order.symbol, positionSide).qty;
  let pending = 0;
  for (const o of ctx.engine.openOrders(account, order.symbol)) {
    if (o.reduceOnly || o.positionSide !== positionSide) continue;
    const s = o.side === 'BUY' ? 1 : -1;
    if (s === sign) pending += s * (o.origQty - o.executedQty);
  }
  const before = Math.abs(pos + pending);
  const after = Math.abs(pos + pending + sign * order.qty);
  if (after <= before) return;
  const price = order.price ?? (order.side === 'BUY' ? book.ask : book.bid);
  if (after * price > maxNotionalOf(ctx, account, order.symbol)) throw errors.overLeverageCap();
}
