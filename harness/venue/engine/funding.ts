/**
 * Funding: at every funding time (Binance USD-M: every 8 hours, at 00:00, 08:00 and 16:00 UTC)
 * each open position pays or receives `position notional at mark × rate`: longs pay a positive
 * rate, shorts receive it. The payment moves the wallet (and an isolated position's own margin).
 * A scenario can shorten the interval to see funding inside a run.
 */
import { type Account, type PositionSide, positionsOf } from './account.ts';

export interface FundingOptions {
  /** Rate per funding interval, e.g. 0.0001 (0.01 %). */
  rate: number;
  /** Funding times are the multiples of this interval since the epoch (8 h puts them at 00/08/16 UTC). */
  intervalMs: number;
}

export const DEFAULT_FUNDING: FundingOptions = { rate: 0.0001, intervalMs: 8 * 3_600_000 };

export interface FundingPayment {
  instance: string;
  symbol: string;
  positionSide: PositionSide;
  /** Signed: > 0 received, < 0 paid. */
  amount: number;
  rate: number;
  markPrice: number;
  time: number;
}

export function checkFunding(f: FundingOptions): FundingOptions {
  if (!Number.isFinite(f.rate) || Math.abs(f.rate) >= 0.05) throw new Error(`venue: funding rate must be a finite number in (-0.05, 0.05), got ${f.rate}`);
  if (!Number.isInteger(f.intervalMs) || f.intervalMs < 100) throw new Error(`venue: funding intervalMs must be a whole number >= 100, got ${f.intervalMs}`);
  return f;
}

/** The first funding time strictly after `now`. */
export function nextFundingTime(now: number, intervalMs: number): number {
  return (Math.floor(now / intervalMs) + 1) * intervalMs;
}

/** Settles one funding time for one account: pays every open position of its mode; returns the payments. */
export function settleFunding(account: Account, marks: ReadonlyMap<string, number>, rate: number, time: number): FundingPayment[] {
  const paid: FundingPayment[] = [];
  for (const [symbol, markPrice] of marks) {
    for (const [positionSide, p] of positionsOf(account, symbol)) {
      if (p.qty === 0) continue;
      const amount = -p.qty * markPrice * rate;
      account.walletBalance += amount;
      if (account.isolated.has(symbol)) p.isolatedWallet += amount;
      paid.push({ instance: account.instance, symbol, positionSide, amount, rate, markPrice, time });
    }
  }
  return paid;
}
