import { describe, expect, it } from 'vitest';
import { PricePath, type PricePathSpec } from './price-path.ts';

const spec: PricePathSpec = {
  symbol: 'BTCUSDT',
  startPrice: 60_000,
  tickSize: 0.1,
  volPerTick: 0.0003,
  maxHalfSpreadTicks: 2,
  minQty: 0.1,
  maxQty: 5,
  stepSize: 0.001,
};
const take = (seed: number, n: number) => Array.from({ length: n }, (_, i) => new PricePath(seed, spec).at(i));

describe('PricePath', () => {
  it('gives an identical path for the same seed, whatever order ticks are read in', () => {
    const a = new PricePath(42, spec);
    const b = new PricePath(42, spec);
    b.at(499);
    const pa = Array.from({ length: 500 }, (_, i) => a.at(i));
    const pb = Array.from({ length: 500 }, (_, i) => b.at(i));
    expect(JSON.stringify(pa)).toBe(JSON.stringify(pb));
  });

  it('gives a different path for a different seed', () => {
    expect(JSON.stringify(take(1, 50))).not.toBe(JSON.stringify(take(2, 50)));
  });

  it('keeps prices on the tick grid with bid < ask and positive sizes', () => {
    const p = new PricePath(7, spec);
    for (let i = 0; i < 2000; i++) {
      const t = p.at(i);
      expect(t.bid).toBeLessThan(t.ask);
      expect(Math.abs(Math.round(t.bid / 0.1) * 0.1 - t.bid)).toBeLessThan(1e-6);
      expect(t.bidQty).toBeGreaterThan(0);
      expect(t.askQty).toBeGreaterThan(0);
    }
  });

  it('actually moves (volatility is applied)', () => {
    const p = new PricePath(3, spec);
    const mids = new Set(Array.from({ length: 200 }, (_, i) => p.at(i).mid));
    expect(mids.size).toBeGreaterThan(20);
  });

  it('rejects a negative or fractional index', () => {
    expect(() => new PricePath(1, spec).at(-1)).toThrow(RangeError);
    expect(() => new PricePath(1, spec).at(1.5)).toThrow(RangeError);
  });
});
