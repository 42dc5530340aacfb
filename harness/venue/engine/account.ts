/**
 * Accounts and their positions. Dialect-free: amounts are plain numbers in the quote asset
 * (USDT); formatting to a venue's wire strings happens in the dialect.
 *
 * Two position modes, as on Binance USD-M: one-way (one net position per symbol, side BOTH) and
 * hedge (dual-side: a LONG and a SHORT position per symbol, each with its own entry price and
 * realised PnL). The mode only changes while every position is flat, so the positions of the
 * mode not in use are always flat.
 */
import type { VenueAccount } from '../types.ts';
import { roundTo } from './decimal.ts';

/** BOTH: the net position of one-way mode; LONG / SHORT: the two legs of hedge mode. */
export type PositionSide = 'BOTH' | 'LONG' | 'SHORT';

export interface Position {
  /** Signed base quantity: > 0 long, < 0 short (a LONG leg is never < 0, a SHORT leg never > 0). */
  qty: number;
  /** Average entry price of the open quantity; 0 when flat. */
  entryPrice: number;
  /** Venue time of the last change; 0 if never traded. */
  updateTime: number;
  /** Realised PnL accumulated on this symbol (fees excluded). */
  realized: number;
  /**
   * Margin set aside for this position when its symbol is in isolated-margin mode (Binance
   * `isolatedWallet`); 0 under cross margin and when flat. Part of the account's walletBalance.
   */
  isolatedWallet: number;
}

export interface Account {
  readonly instance: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Deposit plus realised PnL minus fees paid. */
  walletBalance: number;
  /** The deposit the account started with (a TRANSFER in the income history). */
  readonly deposit: number;
  /** One-way (BOTH) positions by symbol. */
  readonly positions: Map<string, Position>;
  /** Hedge-mode legs by symbol. */
  readonly hedged: Map<string, { LONG: Position; SHORT: Position }>;
  /** Hedge mode (Binance dualSidePosition). */
  dualSide: boolean;
  /** Leverage per symbol, where the account changed it; others use the venue default. */
  readonly leverage: Map<string, number>;
  /** Symbols in isolated-margin mode: their positions carry their own margin (Position.isolatedWallet). */
  readonly isolated: Set<string>;
  /** Realized PnL booked today before the venue started (income history only): VenueAccount.realizedPnlToday. */
  priorPnl?: { rows: number; totalUsdt: number };
  /** Other assets' small balances (VenueAccount.dust): listed, never margin. */
  dust: ReadonlyMap<string, number>;
  /** Multi-assets margin mode flag (the only margin asset is USDT, so nothing else changes). */
  multiAssets: boolean;
}

export function newAccount(cfg: VenueAccount): Account {
  return {
    instance: cfg.instance,
    apiKey: cfg.apiKey,
    apiSecret: cfg.apiSecret,
    walletBalance: cfg.balanceUsdt,
    // The incomes add up to the wallet balance: earlier PnL came out of (or on top of) the deposit.
    deposit: cfg.balanceUsdt - (cfg.realizedPnlToday?.totalUsdt ?? 0),
    positions: new Map(),
    hedged: new Map(),
    dualSide: cfg.dualSidePosition === true,
    ...(cfg.realizedPnlToday ? { priorPnl: { ...cfg.realizedPnlToday } } : {}),
    dust: new Map(Object.entries(cfg.dust ?? {}).filter(([asset]) => asset !== 'USDT')),
    leverage: new Map(),
    isolated: new Set(),
    multiAssets: false,
  };
}

export function positionOf(account: Account, symbol: string): Position {
  let p = account.positions.get(symbol);
  if (!p) {
    p = flat();
    account.positions.set(symbol, p);
  }
  return p;
}

function flat(): Position {
  return { qty: 0, entryPrice: 0, updateTime: 0, realized: 0, isolatedWallet: 0 };
}

/** A hedge-mode leg of a symbol (created flat on first use). */
export function legOf(account: Account, symbol: string, side: 'LONG' | 'SHORT'): Position {
  let legs = account.hedged.get(symbol);
  if (!legs) {
    legs = { LONG: flat(), SHORT: flat() };
    account.hedged.set(symbol, legs);
  }
  return legs[side];
}

/** The position an order on `side` acts on: the net position (BOTH) or a hedge leg. */
export function sidePosition(account: Account, symbol: string, side: PositionSide): Position {
  return side === 'BOTH' ? positionOf(account, symbol) : legOf(account, symbol, side);
}

/** The positions the account's mode reports for a symbol: [BOTH] one-way, [LONG, SHORT] hedge. */
export function positionsOf(account: Account, symbol: string): Array<[PositionSide, Position]> {
  if (!account.dualSide) return [['BOTH', positionOf(account, symbol)]];
  return [
    ['LONG', legOf(account, symbol, 'LONG')],
    ['SHORT', legOf(account, symbol, 'SHORT')],
  ];
}

/** Signed net quantity of a symbol: the BOTH position, or LONG plus SHORT in hedge mode. */
export function netQty(account: Account, symbol: string): number {
  const legs = account.hedged.get(symbol);
  const hedge = legs ? legs.LONG.qty + legs.SHORT.qty : 0;
  return (account.positions.get(symbol)?.qty ?? 0) + hedge;
}

/** True when any position of the account (on `symbol`, or any symbol) is open, in either mode. */
export function hasOpenPosition(account: Account, symbol?: string): boolean {
  for (const [s, p] of account.positions) if ((symbol === undefined || s === symbol) && p.qty !== 0) return true;
  for (const [s, legs] of account.hedged) if ((symbol === undefined || s === symbol) && (legs.LONG.qty !== 0 || legs.SHORT.qty !== 0)) return true;
  return false;
}

/** In hedge mode, SELL on LONG and BUY on SHORT close a leg: they are reduce-only by nature. */
export function closesLeg(positionSide: PositionSide, side: 'BUY' | 'SELL'): boolean {
  return (positionSide === 'LONG' && side === 'SELL') || (positionSide === 'SHORT' && side === 'BUY');
}

/**
 * Applies a fill of `signedQty` (buy > 0) at `price` to a net position and returns the realised
 * PnL. Reductions realise (price - entry) on the closed part; a flip re-opens the remainder at
 * the fill price; adding averages the entry price.
 */
export function applyFill(p: Position, signedQty: number, price: number, qtyDecimals: number, time: number): number {
  const before = p.qty;
  const after = roundTo(before + signedQty, qtyDecimals);
  let realized = 0;
  if (before === 0 || Math.sign(before) === Math.sign(signedQty)) {
    const total = Math.abs(before) + Math.abs(signedQty);
    p.entryPrice = (Math.abs(before) * p.entryPrice + Math.abs(signedQty) * price) / total;
  } else {
    const closed = Math.min(Math.abs(signedQty), Math.abs(before));
    realized = closed * (price - p.entryPrice) * Math.sign(before);
    if (after === 0) p.entryPrice = 0;
    else if (Math.sign(after) !== Math.sign(before)) p.entryPrice = price;
  }
  p.qty = after;
  p.updateTime = time;
  p.realized += realized;
  return realized;
}

/**
 * Moves isolated margin for a fill of `qty` on a position that held `before`: the closed share of
 * the position releases the same share of its isolated wallet back to cross; the part that opens
 * or adds sets aside its initial margin at the fill price. Realised PnL and fees settle in the
 * wallet as under cross margin (Binance takes them from the isolated margin first; the totals
 * after a full close are the same).
 */
export function moveIsolatedMargin(p: Position, before: number, side: 'BUY' | 'SELL', qty: number, price: number, leverage: number): void {
  const opening = increasingQty(before, side, qty);
  const closed = qty - opening;
  if (closed > 0 && before !== 0) p.isolatedWallet -= p.isolatedWallet * Math.min(1, closed / Math.abs(before));
  if (opening > 0) p.isolatedWallet += (opening * price) / leverage;
  if (p.qty === 0) p.isolatedWallet = 0;
}

/** The wallet less the margin every isolated position holds (Binance crossWalletBalance). */
export function crossWalletBalance(account: Account): number {
  let isolated = 0;
  for (const symbol of account.isolated) {
    // Read without creating: the positions of the mode not in use are flat (isolatedWallet 0).
    const legs = account.hedged.get(symbol);
    isolated += (account.positions.get(symbol)?.isolatedWallet ?? 0) + (legs ? legs.LONG.isolatedWallet + legs.SHORT.isolatedWallet : 0);
  }
  return account.walletBalance - isolated;
}

/** Unrealised PnL of a position at a mark price. */
export function unrealized(p: Position, mark: number): number {
  return p.qty === 0 ? 0 : p.qty * (mark - p.entryPrice);
}

/**
 * The part of an order that increases exposure: all of it when flat or adding, only what is
 * left after closing the opposite position otherwise. Margin is checked on this part only.
 */
export function increasingQty(positionQty: number, side: 'BUY' | 'SELL', qty: number): number {
  const signed = side === 'BUY' ? qty : -qty;
  if (positionQty === 0 || Math.sign(positionQty) === Math.sign(signed)) return qty;
  return Math.max(0, qty - Math.abs(positionQty));
}
