/**
 * Accounts and one-way (net) positions. Dialect-free: amounts are plain numbers in the quote
 * asset (USDT); formatting to a venue's wire strings happens in the dialect.
 */
import type { VenueAccount } from '../types.ts';
import { roundTo } from './decimal.ts';

export interface Position {
  /** Signed base quantity: > 0 long, < 0 short. */
  qty: number;
  /** Average entry price of the open quantity; 0 when flat. */
  entryPrice: number;
  /** Venue time of the last change; 0 if never traded. */
  updateTime: number;
  /** Realised PnL accumulated on this symbol (fees excluded). */
  realized: number;
}

export interface Account {
  readonly instance: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Deposit plus realised PnL minus fees paid. */
  walletBalance: number;
  /** The deposit the account started with (a TRANSFER in the income history). */
  readonly deposit: number;
  readonly positions: Map<string, Position>;
  /** Leverage per symbol, where the account changed it; others use the venue default. */
  readonly leverage: Map<string, number>;
  /** Symbols switched to isolated margin (reported only: margin arithmetic stays cross). */
  readonly isolated: Set<string>;
  /** Multi-assets margin mode flag (the only margin asset is USDT, so nothing else changes). */
  multiAssets: boolean;
}

export function newAccount(cfg: VenueAccount): Account {
  return {
    instance: cfg.instance,
    apiKey: cfg.apiKey,
    apiSecret: cfg.apiSecret,
    walletBalance: cfg.balanceUsdt,
    deposit: cfg.balanceUsdt,
    positions: new Map(),
    leverage: new Map(),
    isolated: new Set(),
    multiAssets: false,
  };
}

export function positionOf(account: Account, symbol: string): Position {
  let p = account.positions.get(symbol);
  if (!p) {
    p = { qty: 0, entryPrice: 0, updateTime: 0, realized: 0 };
    account.positions.set(symbol, p);
  }
  return p;
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
