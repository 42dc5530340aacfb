import { rngFor } from '../core/rng.ts';

export interface PricePathSpec {
  symbol: string;
  startPrice: number;
  tickSize: number;
  /** Standard deviation of the log return per tick (e.g. 0.0004 = 4 bp). */
  volPerTick: number;
  /** Half-spread in ticks is drawn from [1, maxHalfSpreadTicks]. */
  maxHalfSpreadTicks: number;
  /** Top-of-book quantities are drawn from [minQty, maxQty] in steps of stepSize. */
  minQty: number;
  maxQty: number;
  stepSize: number;
}

export interface BookTop {
  i: number;
  bid: number;
  ask: number;
  bidQty: number;
  askQty: number;
  mid: number;
}

function decimals(step: number): number {
  const s = step.toString();
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Rounds to a multiple of step and renders with the step's decimals (Binance strings). */
export function formatStep(value: number, step: number): string {
  const d = decimals(step);
  return (Math.round(value / step) * step).toFixed(d);
}

/**
 * A seeded geometric random walk of top-of-book states: tick i is a pure function of
 * (seed, spec, i), computed in order and memoised, so the same seed gives the same path.
 */
export class PricePath {
  readonly spec: PricePathSpec;
  readonly #rng;
  readonly #tops: BookTop[] = [];
  #logMid: number;

  constructor(seed: number, spec: PricePathSpec) {
    this.spec = spec;
    this.#rng = rngFor(seed, `price-path:${spec.symbol}`);
    this.#logMid = Math.log(spec.startPrice);
  }

  at(i: number): BookTop {
    if (!Number.isInteger(i) || i < 0) throw new RangeError(`tick index must be a whole number >= 0, got ${i}`);
    while (this.#tops.length <= i) this.#tops.push(this.#step(this.#tops.length));
    return this.#tops[i] as BookTop;
  }

  #step(i: number): BookTop {
    const { tickSize, maxHalfSpreadTicks, minQty, maxQty, stepSize, volPerTick } = this.spec;
    if (i > 0) this.#logMid += volPerTick * this.#rng.normal();
    const center = Math.round(Math.exp(this.#logMid) / tickSize) * tickSize;
    const half = this.#rng.int(1, maxHalfSpreadTicks) * tickSize;
    const bid = center - half;
    const ask = center + half;
    const steps = Math.max(0, Math.round((maxQty - minQty) / stepSize));
    const bidQty = minQty + this.#rng.int(0, steps) * stepSize;
    const askQty = minQty + this.#rng.int(0, steps) * stepSize;
    return {
      i,
      bid: Number(formatStep(bid, tickSize)),
      ask: Number(formatStep(ask, tickSize)),
      bidQty: Number(formatStep(bidQty, stepSize)),
      askQty: Number(formatStep(askQty, stepSize)),
      mid: Number(formatStep(center, tickSize / 2)),
    };
  }
}
