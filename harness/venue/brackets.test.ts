import { describe, expect, it } from 'vitest';
import { bracketFor, bracketProblems, DEFAULT_BRACKETS, maxLeverage, maxNotional, row } from './brackets.ts';
import { DEFAULT_SYMBOLS } from './default-symbols.ts';
import { EXTRA_SYMBOLS } from './extra-symbols.ts';

describe('leverage brackets', () => {
  it('every listed symbol has a consistent table (caps chained, leverage falling, Binance cum)', () => {
    for (const s of [...DEFAULT_SYMBOLS, ...EXTRA_SYMBOLS]) expect(bracketProblems(s.brackets ?? DEFAULT_BRACKETS), s.symbol).toEqual([]);
  });

  it('finds a table’s faults', () => {
    expect(bracketProblems([row(100, 0, 0.01, 10, 0), row(500, 150, 0.02, 10, 3)])).toEqual([
      "bracket 2: floor 150 must be bracket 1's cap 100",
      "bracket 2: leverage 10 must be below bracket 1's 10",
      'bracket 2: cum 3 should be 1.5',
    ]);
    expect(bracketProblems([])).toEqual(['no brackets']);
  });

  it('caps notional by leverage and finds a notional’s bracket', () => {
    expect(maxNotional(DEFAULT_BRACKETS, 125)).toBe(50_000);
    expect(maxNotional(DEFAULT_BRACKETS, 101)).toBe(50_000);
    expect(maxNotional(DEFAULT_BRACKETS, 100)).toBe(500_000);
    expect(maxNotional(DEFAULT_BRACKETS, 20)).toBe(50_000_000);
    expect(maxNotional(DEFAULT_BRACKETS, 126)).toBe(0);
    expect(maxLeverage(DEFAULT_BRACKETS)).toBe(125);
    expect(bracketFor(DEFAULT_BRACKETS, -60_000)?.mmr).toBe(0.005);
    expect(bracketFor(DEFAULT_BRACKETS, 1e12)?.leverage).toBe(1);
  });
});
