import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const DUST_NAN_PRICE = '004_8a8a9a4995486b8f.txt#H-PORT-03';
const ZERO_GRID_CENTER = '001_0474a2fd1532b929.txt#M5';
const NAN_CANDLES = '000_2ae31cbfe79758d1.txt#S-L2';

/** A plain positive decimal, as Binance takes it: digits, an optional fraction, no sign, no exponent. */
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

interface OrderData {
  symbol?: string;
  side?: string;
  type?: string;
  qty?: string;
  price?: string;
  code?: number;
  msg?: string;
}

/** Why a quantity or price text is degenerate, or undefined when it is a positive plain decimal. */
export function degenerate(text: string): string | undefined {
  if (!PLAIN_DECIMAL.test(text)) {
    if (/nan/i.test(text)) return 'NaN';
    if (/inf/i.test(text)) return 'infinite';
    if (text.trim().startsWith('-')) return 'negative';
    if (/e/i.test(text)) return 'in exponent notation (a float printed as text)';
    return 'not a number';
  }
  return Number(text) > 0 ? undefined : 'zero';
}

/**
 * Every order's quantity and price are real, positive numbers: never NaN, infinite, negative, zero
 * or a float printed in exponent notation. The venue records each new order as it accepted it
 * (`order.new`) and each refused one with the quantity and price texts as sent (`order.reject`
 * {qty, price, code}); a degenerate value means the bot computed the order from garbage, whatever
 * the venue then answered. Encodes:
 * - 004_8a8a9a4995486b8f.txt#H-PORT-03: the weighted average cost of dust-sized fills overflows to
 *   NaN/inf, and the NaN price drives an exit or entry;
 * - 001_0474a2fd1532b929.txt#M5: the grid center starts at 0.0, so the first orders are priced from
 *   zero (prices of 0 or below);
 * - 000_2ae31cbfe79758d1.txt#S-L2: candles with None/NaN OHLCV (fault klines-degenerate) turn the
 *   indicators NaN, and an order sized or priced from them carries the NaN.
 * Evidence: the order event. Unknown when the bot sent no order.
 */
export const ordersWellFormed: Checker = {
  name: 'orders-well-formed',
  description: 'Every order’s quantity and price are positive plain decimals (no NaN, infinity, zero, negative or exponent)',
  findings: [DUST_NAN_PRICE, ZERO_GRID_CENTER, NAN_CANDLES],
  requires: ['rest-orders'],
  check(history): CheckResult {
    const violations: Violation[] = [];
    const stats = { orders: 0, degenerate: 0 };
    for (const e of history) {
      if (e.src !== 'venue' || e.instance === undefined || (e.type !== 'order.new' && e.type !== 'order.reject')) continue;
      stats.orders++;
      const d = e.data as OrderData;
      const bad: string[] = [];
      for (const [field, text] of [
        ['quantity', d.qty],
        ['price', d.price],
      ] as const) {
        if (text === undefined) continue;
        const why = degenerate(String(text));
        if (why !== undefined) bad.push(`${field} ${JSON.stringify(text)} is ${why}`);
      }
      if (bad.length === 0) continue;
      // 004#H-PORT-03 (NaN from dust), 001#M5 (priced from a zero center), 000#S-L2 (NaN indicators from null candles).
      stats.degenerate++;
      const what = [d.side, d.type, d.symbol].filter((x) => x !== undefined).join(' ');
      const answer = e.type === 'order.reject' ? `, refused ${d.code} "${d.msg ?? ''}"` : ', accepted';
      violations.push({ t: e.t, instance: e.instance, message: `${e.instance} sent ${what}: ${bad.join('; ')}${answer}`, evidence: [e.seq] });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.orders === 0) return unknown('the bot sent no order: nothing to judge', stats);
    return { valid: true, violations: [], notes: [`${stats.orders} order(s), every quantity and price a positive plain decimal`], stats };
  },
};
