/**
 * Margin arithmetic of one account, cross and isolated. Simplified on purpose: one leverage per
 * symbol, mark = mid of the book, no maintenance tiers or liquidation yet. Enough to refuse orders
 * a real venue would refuse for margin, and to report balances a bot can reconcile against.
 *
 * Isolated positions hold their own margin (isolatedWallet): it leaves the cross wallet, and their
 * unrealised PnL and initial margin do not touch the cross available balance.
 */
import type { BookTop } from '../../market/price-path.ts';
import { type Account, crossWalletBalance, type PositionSide, positionsOf, unrealized } from './account.ts';
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
  /** The symbol is in isolated-margin mode. */
  isolated: boolean;
  /** Margin set aside for the position (0 under cross). */
  isolatedWallet: number;
}

export interface AccountView {
  walletBalance: number;
  /** walletBalance minus every isolated position's wallet. */
  crossWalletBalance: number;
  unrealizedPnl: number;
  /** Unrealised PnL of the cross positions only. */
  crossUnPnl: number;
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
  let crossUpnl = 0;
  let crossIm = 0;
  // The positions of the account's mode only: those of the other mode are flat.
  const symbols = [...(account.dualSide ? account.hedged.keys() : account.positions.keys())];
  const all = symbols.flatMap((symbol) => positionsOf(account, symbol).map(([positionSide, p]) => ({ symbol, positionSide, p })));
  for (const { symbol, positionSide, p } of all) {
    const mark = markOf(m.books, symbol);
    const u = unrealized(p, mark);
    const notional = p.qty * mark;
    const im = Math.abs(notional) / m.leverage(symbol);
    const isolated = account.isolated.has(symbol);
    upnl += u;
    positionIm += im;
    if (!isolated) {
      crossUpnl += u;
      crossIm += im;
    }
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
      isolated,
      isolatedWallet: isolated ? p.isolatedWallet : 0,
    });
  }
  const openIm = openOrderMargin(account, m);
  const marginBalance = account.walletBalance + upnl;
  const crossWallet = crossWalletBalance(account);
  return {
    walletBalance: account.walletBalance,
    crossWalletBalance: crossWallet,
    unrealizedPnl: upnl,
    crossUnPnl: crossUpnl,
    marginBalance,
    positionInitialMargin: positionIm,
    openOrderInitialMargin: openIm,
    // What new orders can use: the cross wallet and cross PnL, less what cross positions and all open orders hold.
    availableBalance: crossWallet + crossUpnl - crossIm - openIm,
    positions,
  };
}
