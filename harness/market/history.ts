import { rngFor } from '../core/rng.ts';
import type { HistoricMinute } from '../venue/engine/tape.ts';
import { formatStep } from './price-path.ts';

const MINUTE = 60_000;

/** Whatever takes history before its first tick (the venue). */
export interface HistorySink {
  backfill(symbol: string, minutes: readonly HistoricMinute[]): void;
}

/** Gives `sink` `minutes` of history for a market (no-op for 0), ending before the current minute. */
export function backfillMarket(
  sink: HistorySink,
  seed: number,
  market: { symbol: string; startPrice: number; volPerTick: number; tickMs: number },
  filters: { tickSize: number; stepSize: number },
  minutes: number,
): void {
  if (minutes > 0) sink.backfill(market.symbol, pastMinutes(seed, { ...market, ...filters }, minutes, Date.now()));
}

export interface HistorySpec {
  symbol: string;
  /** The first tick's mid: the last historic minute closes here, so the series joins the live path. */
  startPrice: number;
  tickSize: number;
  stepSize: number;
  /** The live path's volatility: a minute's log return has sd volPerTick * sqrt(ticks per minute). */
  volPerTick: number;
  tickMs: number;
}

/**
 * `minutes` one-minute candles ending just before the minute holding `now`, as a seeded random
 * walk run backwards from startPrice with the live path's volatility (so an indicator warmed up on
 * them sees the same market the run then trades). A pure function of (seed, spec, minutes, now).
 */
export function pastMinutes(seed: number, spec: HistorySpec, minutes: number, now: number): HistoricMinute[] {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`history minutes must be a whole number >= 0, got ${minutes}`);
  const rng = rngFor(seed, `history:${spec.symbol}`);
  const sd = spec.volPerTick * Math.sqrt(MINUTE / spec.tickMs);
  const round = (p: number) => Number(formatStep(p, spec.tickSize));
  const first = Math.floor(now / MINUTE) * MINUTE - minutes * MINUTE;
  const out: HistoricMinute[] = new Array(minutes);
  let close = spec.startPrice;
  for (let k = minutes - 1; k >= 0; k--) {
    const open = close * Math.exp(-sd * rng.normal());
    const wick = () => Math.abs(rng.normal()) * sd * 0.5;
    out[k] = {
      openTime: first + k * MINUTE,
      open: round(open),
      close: round(close),
      high: round(Math.max(open, close) * (1 + wick())),
      low: round(Math.min(open, close) * (1 - wick())),
      volume: Number(formatStep(spec.stepSize * rng.int(100, 5000), spec.stepSize)),
      trades: rng.int(20, 400),
    };
    close = open;
  }
  return out;
}
