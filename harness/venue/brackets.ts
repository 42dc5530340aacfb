import type { SymbolConfig } from './types.ts';

/** One notional bracket of a symbol (Binance GET /fapi/v1/leverageBracket). */
export interface Bracket {
  /** Largest position notional (USDT) of the bracket. */
  readonly cap: number;
  readonly floor: number;
  /** Maintenance margin rate. */
  readonly mmr: number;
  /** The highest leverage the bracket grants. */
  readonly leverage: number;
  /** Maintenance amount (Binance `cum`). */
  readonly cum: number;
}

/** One bracket from its leverageBracket numbers. */
export const row = (cap: number, floor: number, mmr: number, leverage: number, cum: number): Bracket => Object.freeze({ cap, floor, mmr, leverage, cum });

/** Notional brackets of Binance's BTCUSDT: every symbol without its own. */
export const DEFAULT_BRACKETS: readonly Bracket[] = Object.freeze([
  row(50_000, 0, 0.004, 125, 0),
  row(500_000, 50_000, 0.005, 100, 50),
  row(8_000_000, 500_000, 0.01, 50, 2_550),
  row(50_000_000, 8_000_000, 0.02, 20, 82_550),
  row(80_000_000, 50_000_000, 0.025, 10, 332_550),
  row(100_000_000, 80_000_000, 0.05, 5, 2_332_550),
  row(120_000_000, 100_000_000, 0.1, 4, 7_332_550),
  row(200_000_000, 120_000_000, 0.125, 3, 10_332_550),
  row(300_000_000, 200_000_000, 0.15, 2, 15_332_550),
  row(500_000_000, 300_000_000, 0.25, 1, 45_332_550),
]);

/** A symbol's brackets: its own, else BTCUSDT's. */
export function bracketsOf(cfg: SymbolConfig | undefined): readonly Bracket[] {
  return cfg?.brackets ?? DEFAULT_BRACKETS;
}

/** The bracket a position's notional falls in (the last one beyond every cap). */
export function bracketFor(brackets: readonly Bracket[], notional: number): Bracket | undefined {
  return brackets.find((b) => Math.abs(notional) <= b.cap) ?? brackets.at(-1);
}

/** The largest position notional a leverage allows: the cap of the last bracket that still grants it (0 when none does). */
export function maxNotional(brackets: readonly Bracket[], leverage: number): number {
  let cap = 0;
  for (const b of brackets) if (b.leverage >= leverage) cap = Math.max(cap, b.cap);
  return cap;
}

/** The highest leverage any bracket grants (bracket 1's). */
export function maxLeverage(brackets: readonly Bracket[]): number {
  return brackets.reduce((m, b) => Math.max(m, b.leverage), 0);
}

/** Problems of a bracket table: caps rising, each floor the previous cap, leverage falling. */
export function bracketProblems(brackets: readonly Bracket[]): string[] {
  const out: string[] = [];
  if (brackets.length === 0) out.push('no brackets');
  brackets.forEach((b, i) => {
    const prev = brackets[i - 1];
    if (!(b.cap > b.floor)) out.push(`bracket ${i + 1}: cap ${b.cap} must exceed floor ${b.floor}`);
    if (!(b.mmr > 0 && b.mmr < 1)) out.push(`bracket ${i + 1}: mmr ${b.mmr} must be in (0, 1)`);
    if (!Number.isInteger(b.leverage) || b.leverage < 1) out.push(`bracket ${i + 1}: leverage ${b.leverage} must be a whole number >= 1`);
    if (prev && b.floor !== prev.cap) out.push(`bracket ${i + 1}: floor ${b.floor} must be bracket ${i}'s cap ${prev.cap}`);
    if (prev && b.leverage >= prev.leverage) out.push(`bracket ${i + 1}: leverage ${b.leverage} must be below bracket ${i}'s ${prev.leverage}`);
    // Binance's maintenance amount: cum_i = cum_{i-1} + floor_i * (mmr_i - mmr_{i-1}).
    const cum = prev ? prev.cum + b.floor * (b.mmr - prev.mmr) : 0;
    if (Math.abs(b.cum - cum) > 1e-6 * Math.max(1, cum)) out.push(`bracket ${i + 1}: cum ${b.cum} should be ${cum}`);
  });
  return out;
}
