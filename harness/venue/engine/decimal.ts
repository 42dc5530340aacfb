/**
 * Exact decimal checks on the strings a client sends. Filters (tick size, step size, precision)
 * must be judged on the text exactly as sent: 0.1 + 0.2 style float noise would reject valid
 * orders or accept invalid ones, which is the kind of venue bug that hides a bot bug.
 */

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

/** True when text is a plain decimal number ("1", "0.001", "-2.5"); no exponents, no spaces. */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/** Significant decimals of a decimal string: trailing zeros do not count ("0.100" has 1). */
export function significantDecimals(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  const frac = text.slice(dot + 1).replace(/0+$/, '');
  return frac.length;
}

/** Scaled integer of a decimal string at the given number of decimals (must be >= its own). */
function toUnits(text: string, decimals: number): bigint {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '', frac = ''] = body.split('.');
  const padded = (frac + '0'.repeat(decimals)).slice(0, decimals);
  const units = BigInt((whole || '0') + padded);
  return negative ? -units : units;
}

/** Exact `value % step == 0` on decimal strings; a zero step disables the rule (as on Binance). */
export function isMultipleOf(value: string, step: string): boolean {
  const scale = Math.max(significantDecimals(value), significantDecimals(step));
  const s = toUnits(step, scale);
  if (s === 0n) return true;
  return toUnits(value, scale) % s === 0n;
}

/** Exact comparison of two decimal strings: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const scale = Math.max(significantDecimals(a), significantDecimals(b));
  const x = toUnits(a, scale);
  const y = toUnits(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Fixed decimals, never "-0.00" (Binance never prints a negative zero). */
export function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  // Only a text starting with '-' can be a negative zero: skip the regex on the hot path.
  return text.charCodeAt(0) === 45 && /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Shortest plain rendering of a number rounded to `decimals` ("30005", "119394.4"). */
export function trimmed(value: number, decimals: number): string {
  const text = fixed(value, decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Rounds to `decimals` places; used to keep positions on the step grid despite float sums. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}
