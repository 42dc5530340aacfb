/**
 * User data stream events of Binance USD-M: ORDER_TRADE_UPDATE for every order state change and
 * ACCOUNT_UPDATE (reason "ORDER") after fills, sent to every user connection whose listen key
 * belongs to the account and is still valid.
 */
import type { Account } from '../../engine/account.ts';
import { fixed } from '../../engine/decimal.ts';
import type { EngineListener } from '../../engine/engine.ts';
import { avgPrice, isOpen, type OrderUpdate } from '../../engine/order.ts';
import type { DialectContext } from './endpoint.ts';
import { avgText, breakEvenPrice, STP_MODE } from './format.ts';
import type { WsHub } from './ws-hub.ts';

const a8 = (n: number) => fixed(n, 8);
const orZero = (n: number, text: () => string) => (n === 0 ? '0' : text());

/** Open-order notional of the account on each side of a symbol (the event's "b" and "a"). */
function sideNotional(ctx: DialectContext, account: Account, symbol: string): { b: number; a: number } {
  let b = 0;
  let a = 0;
  for (const o of ctx.engine.openOrders(account, symbol)) {
    const n = (o.origQty - o.executedQty) * o.price;
    if (o.side === 'BUY') b += n;
    else a += n;
  }
  return { b, a };
}

export function orderTradeUpdate(ctx: DialectContext, account: Account, u: OrderUpdate) {
  const o = u.order;
  const d = ctx.engine.decimals(o.symbol);
  const f = u.fill;
  const { b, a } = isOpen(o) ? sideNotional(ctx, account, o.symbol) : { b: 0, a: 0 };
  return {
    e: 'ORDER_TRADE_UPDATE',
    T: u.time,
    E: ctx.engine.now(),
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: o.origQtyText,
      p: o.priceText,
      ap: orZero(o.executedQty, () => avgText(avgPrice(o), d)),
      sp: '0',
      x: u.execution,
      X: o.status,
      i: o.orderId,
      l: f ? fixed(f.qty, d.qty) : '0',
      z: orZero(o.executedQty, () => fixed(o.executedQty, d.qty)),
      L: f ? fixed(f.price, d.price) : '0',
      n: f ? a8(f.commission) : '0',
      N: 'USDT',
      T: u.time,
      t: f ? f.tradeId : 0,
      b: orZero(b, () => a8(b)),
      a: orZero(a, () => a8(a)),
      m: f ? f.maker : false,
      R: o.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: o.type,
      ps: 'BOTH',
      cp: false,
      rp: f ? a8(f.realizedPnl) : '0',
      pP: false,
      si: 0,
      ss: 0,
      V: STP_MODE,
      pm: 'NONE',
      gtd: 0,
    },
  };
}

export function accountUpdate(ctx: DialectContext, account: Account, symbol: string, time: number) {
  const p = account.positions.get(symbol);
  const qty = p?.qty ?? 0;
  const mark = ctx.engine.books.get(symbol)?.mid ?? 0;
  const entry = p?.entryPrice ?? 0;
  return {
    e: 'ACCOUNT_UPDATE',
    E: ctx.engine.now(),
    T: time,
    a: {
      m: 'ORDER',
      B: [{ a: 'USDT', wb: a8(account.walletBalance), cw: a8(account.walletBalance), bc: '0' }],
      P: [
        {
          s: symbol,
          pa: fixed(qty, ctx.engine.decimals(symbol).qty),
          ep: a8(entry),
          bep: a8(breakEvenPrice(qty, entry)),
          cr: a8(p?.realized ?? 0),
          up: a8(qty * (mark - entry)),
          mt: 'cross',
          iw: '0',
          ps: 'BOTH',
        },
      ],
    },
  };
}

/** Engine listener that turns engine changes into user-stream events. */
export function userStreamPublisher(ctx: DialectContext, hub: WsHub): EngineListener {
  const sendTo = (account: Account, event: unknown) => {
    const now = ctx.engine.now();
    const raw = JSON.stringify(event);
    for (const conn of hub.conns()) {
      if (conn.kind !== 'user' || conn.listenKey === undefined) continue;
      if (ctx.listenKeys.owner(conn.listenKey, now) !== account.instance) continue;
      hub.send(conn, conn.listenKey, event, raw);
    }
  };
  return {
    orderUpdate: (account, u) => sendTo(account, orderTradeUpdate(ctx, account, u)),
    accountUpdate: (account, symbol, time) => sendTo(account, accountUpdate(ctx, account, symbol, time)),
  };
}
