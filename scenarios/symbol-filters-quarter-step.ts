import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot trades QTRUSDT, whose filters are not powers of ten (tickSize 0.5, stepSize 0.25). An
 * order quantity rounded with Decimal.quantize(stepSize) keeps two decimals but is no multiple of
 * 0.25 (003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with), and the
 * venue refuses it with -4023; a bot that floors to a multiple of the symbol's stepSize is accepted.
 * The same tick of 0.5 refuses any price quantised to a hard-coded 0.01 (-4014): grid, take-profit
 * and stop-loss prices (001_0474a2fd1532b929.txt#M16, #gridengine-hardcodes-decimal-0-01-quantization).
 * A bot that only sends MARKET orders (refbot) exercises the quantity half only.
 */
export default defineScenario({
  id: 'symbol-filters-quarter-step',
  title: 'A symbol with tickSize 0.5 and stepSize 0.25',
  description:
    'The bot trades QTRUSDT (tickSize 0.5, stepSize 0.25, minQty 0.25, minNotional 5) around 157 USDT, no fault. ' +
    'Passes when no order is refused for breaking a price, quantity or notional filter (-1111, -4003/-4004/-4005, -4013/-4014, -4023, -4164 ...).',
  findings: [
    '003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with',
    '001_0474a2fd1532b929.txt#M16',
    '001_0474a2fd1532b929.txt#gridengine-hardcodes-decimal-0-01-quantization',
  ],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'QTRUSDT', startPrice: 157, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [],
  checks: [{ name: 'orders-respect-filters' }],
});
