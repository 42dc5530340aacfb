import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

/**
 * Binance USD-M codes for an order that breaks the symbol's exchangeInfo filters, as the venue
 * answers them (harness/venue/dialects/binance-usdm/errors.ts): precision, LOT_SIZE /
 * MARKET_LOT_SIZE, PRICE_FILTER, PERCENT_PRICE and MIN_NOTIONAL.
 */
export const FILTER_CODES: ReadonlyMap<number, string> = new Map([
  [-1111, 'precision over the symbol’s maximum'],
  [-4001, 'PRICE_FILTER: price < 0'],
  [-4002, 'PRICE_FILTER: price > maxPrice'],
  [-4003, 'LOT_SIZE: quantity <= 0'],
  [-4004, 'LOT_SIZE: quantity < minQty'],
  [-4005, 'LOT_SIZE: quantity > maxQty'],
  [-4013, 'PRICE_FILTER: price < minPrice'],
  [-4014, 'PRICE_FILTER: price not a multiple of tickSize'],
  [-4016, 'PERCENT_PRICE: limit price above the cap'],
  [-4023, 'LOT_SIZE: quantity not a multiple of stepSize'],
  [-4024, 'PERCENT_PRICE: limit price below the floor'],
  [-4164, 'MIN_NOTIONAL: notional below the minimum'],
]);

/** `venue order.reject` data (what the venue knew of the refused order, and Binance's answer). */
export interface RejectData {
  code?: number;
  msg?: string;
  symbol?: string;
  side?: string;
  type?: string;
  qty?: string;
  price?: string;
}

/**
 * Every order the bot sends fits the symbol's filters: no order is refused with a filter code.
 *
 * The venue judges each order's text exactly against the filters it advertises in exchangeInfo
 * (decimal strings, no float noise) and records every refusal as `venue order.reject` {code, msg}.
 * A bot that sizes and prices orders from the symbol's own tickSize/stepSize/minQty/minNotional
 * never meets one; one that rounds with hard-coded decimals, with float arithmetic or with
 * Decimal.quantize on a non-power-of-ten step does. Encodes:
 * - 003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with: tickSize 0.5 /
 *   stepSize 0.25, every order must be an exact multiple (-4023 / -4014 otherwise);
 * - 000_2ae31cbfe79758d1.txt#S-H2: every order quantity a non-zero multiple of stepSize (-4003,
 *   -4023, -1111 otherwise);
 * - 001_0474a2fd1532b929.txt#C7: float rounding, every order must satisfy the filters;
 * - 001_0474a2fd1532b929.txt#M16 and #gridengine-hardcodes-decimal-0-01-quantization: prices
 *   quantised to a hard-coded 0.01, every price must be a multiple of tickSize (-4014, -1111);
 * - 001_0474a2fd1532b929.txt#asymmetric-tp-sl-floor-logic-short-sl-has: a short's stop-loss price
 *   with no ceiling, after a price jump, lands outside PRICE_FILTER / PERCENT_PRICE (-4002, -4016,
 *   -4024);
 * - 000_2ae31cbfe79758d1.txt#S-H1: the metadata cache read while a (slow) refresh rewrites it, every
 *   order must still satisfy the symbol's filters (a tick sized on missing or partial metadata is
 *   off the grid: -4023, -1111).
 * Unknown when the bot placed no order at all.
 */
export const ordersRespectFilters: Checker = {
  name: 'orders-respect-filters',
  description: 'No order of the bot is refused for breaking the symbol’s price, quantity or notional filters',
  findings: [
    '003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with',
    '000_2ae31cbfe79758d1.txt#S-H2',
    '001_0474a2fd1532b929.txt#C7',
    '001_0474a2fd1532b929.txt#M16',
    '001_0474a2fd1532b929.txt#gridengine-hardcodes-decimal-0-01-quantization',
    '001_0474a2fd1532b929.txt#asymmetric-tp-sl-floor-logic-short-sl-has',
    '000_2ae31cbfe79758d1.txt#S-H1',
  ],
  requires: ['rest-orders'],
  check(history): CheckResult {
    const violations: Violation[] = [];
    const stats = { accepted: 0, rejected: 0, filterRejects: 0 };
    for (const e of history) {
      if (e.src !== 'venue' || e.instance === undefined) continue;
      if (e.type === 'order.new') {
        stats.accepted++;
        continue;
      }
      if (e.type !== 'order.reject') continue;
      stats.rejected++;
      const d = e.data as RejectData;
      const rule = FILTER_CODES.get(Number(d.code));
      if (rule === undefined) continue;
      // 003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with, 000_2ae31cbfe79758d1.txt#S-H2,
      // 001_0474a2fd1532b929.txt#C7, #M16, #gridengine-…, #asymmetric-tp-sl-…, 000_2ae31cbfe79758d1.txt#S-H1: the order was off
      // the symbol's grid or limits.
      stats.filterRejects++;
      const what = [d.side, d.type, d.qty, d.symbol].filter((x) => x !== undefined).join(' ');
      violations.push({
        t: e.t,
        instance: e.instance,
        message: `${e.instance} sent ${what}${d.price !== undefined ? ` @ ${d.price}` : ''}, refused ${d.code} (${rule}): "${d.msg ?? ''}"`,
        evidence: [e.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.accepted + stats.rejected === 0) return unknown('the bot placed no order: no filter was exercised', stats);
    return { valid: true, violations: [], notes: [`${stats.accepted} order(s) accepted, none refused by a filter`], stats };
  },
};
