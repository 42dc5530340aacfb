import { describe, expect, it } from 'vitest';
import { pastMinutes } from './history.ts';

const SPEC = { symbol: 'BTCUSDT', startPrice: 60_000, tickSize: 0.1, stepSize: 0.001, volPerTick: 0.0003, tickMs: 250 };
const NOW = Date.UTC(2026, 10, 23, 3, 0, 42);

describe('pastMinutes', () => {
  it('gives consecutive whole minutes ending before the current one, closing at the start price', () => {
    const m = pastMinutes(7, SPEC, 90, NOW);
    expect(m).toHaveLength(90);
    const current = Math.floor(NOW / 60_000) * 60_000;
    expect(m.at(-1)?.openTime).toBe(current - 60_000);
    for (const [i, c] of m.entries()) {
      if (i > 0) expect(c.openTime - (m[i - 1]?.openTime ?? 0)).toBe(60_000);
      if (i > 0) expect(c.open).toBe(m[i - 1]?.close);
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.volume).toBeGreaterThan(0);
    }
    expect(m.at(-1)?.close).toBe(60_000);
  });

  it('is a pure function of the seed and moves with the live path’s volatility', () => {
    expect(pastMinutes(7, SPEC, 30, NOW)).toEqual(pastMinutes(7, SPEC, 30, NOW));
    expect(pastMinutes(8, SPEC, 30, NOW)).not.toEqual(pastMinutes(7, SPEC, 30, NOW));
    const m = pastMinutes(7, SPEC, 1000, NOW);
    const rets = m.map((c) => Math.log(c.close / c.open));
    const sd = Math.sqrt(rets.reduce((a, r) => a + r * r, 0) / rets.length);
    // 0.0003 per 250 ms tick is 0.0003 * sqrt(240) = 0.00465 per minute.
    expect(sd).toBeGreaterThan(0.0035);
    expect(sd).toBeLessThan(0.006);
  });

  it('rejects a negative or fractional length', () => {
    expect(pastMinutes(1, SPEC, 0, NOW)).toEqual([]);
    expect(() => pastMinutes(1, SPEC, -1, NOW)).toThrow(/whole number/);
    expect(() => pastMinutes(1, SPEC, 1.5, NOW)).toThrow(/whole number/);
  });
});
