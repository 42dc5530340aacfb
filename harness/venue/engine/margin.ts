/**
 * Cross-margin arithmetic of one account. Simplified on purpose: one leverage per symbol,
 * mark = mid of the book, no maintenance tiers or liquidation yet. Enough to refuse orders a
 * real venue would refuse for margin, and to report balances a bot can reconcile against.
 */
import type { BookTop } from '../../market/price-path.ts';
import { type Account, type PositionSide, positionsOf, unrealized } from './account.ts';
import { isOpen, type Order } from './order.ts';

export interface PositionView {
  symbol: string;
  /** BOTH in one-way mode; LONG and SHORT (one view each) in hedge mode. */
  positionSide: PositionSide;
  qty: number;
  entryPrice: number;
  markPrice: number;
  unrealizedPnl: number;
  notional: number;
  initialMargin: number;
  updateTime: number;
}

export interface AccountView {
  walletBalance: number;
  unrealizedPnl: number;
  marginBalance: number;
  positionInitialMargin: number;
  openOrderInitialMargin: number;
  availableBalance: number;
  positions: PositionView[];
}

export interface MarginInputs {
  /** The account's leverage on a symbol. */
  leverage: (symbol: string) => number;
  books: ReadonlyMap<string, BookTop>;
  orders: readonly Order[];
}

export function markOf(books: ReadonlyMap<string, BookTop>, symbol: string): number {
  return books.get(symbol)?.mid ?? 0;
}

/** Initial margin held by the account's open, exposure-adding orders at their limit prices. */
export function openOrderMargin(account: Account, m: MarginInputs): number {
  let im = 0;
  for (const o of m.orders) {
    if (o.instance !== account.instance || !isOpen(o) || o.reduceOnly) continue;
    im += ((o.origQty - o.executedQty) * o.price) / m.leverage(o.symbol);
  }
  return im;
}

export function accountView(account: Account, m: MarginInputs): AccountView {
  const positions: PositionView[] = [];
  let upnl = 0;
  let positionIm = 0;
  // The positions of the account's mode only: those of the other mode are flat.
  const symbols = [...(account.dualSide ? account.hedged.keys() : account.positions.keys())];
  const all = symbols.flatMap((symbol) => positionsOf(account, symbol).map(([positionSide, p]) => ({ symbol, positionSide, p })));
  for (const { symbol, positionSide, p } of all) {
    const mark = markOf(m.books, symbol);
    const u = unrealized(p, mark);
    const notional = p.qty * mark;
    const im = Math.abs(notional) / m.leverage(symbol);
    upnl += u;
    positionIm += im;
    positions.push({
      symbol,
      positionSide,
      qty: p.qty,
      entryPrice: p.entryPrice,
      markPrice: mark,
      unrealizedPnl: u,
      notional,
      initialMargin: im,
      updateTime: p.updateTime,
    });
  }
  const openIm = openOrderMargin(account, m);
  const marginBalance = account.walletBalance + upnl;
  return {
    walletBalance: account.walletBalance,
    unrealizedPnl: upnl,
    marginBalance,
    positionInitialMargin: positionIm,
    openOrderInitialMargin: openIm,
    availableBalance: marginBalance - positionIm - openIm,
    positions,
  };
}
