import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot trades QTRUSDT, whose filters are not powers of ten (tickSize 0.5, stepSize 0.25). An
 * order quantity rounded with Decimal.quantize(stepSize) keeps two decimals but is no multiple of
 * 0.25 (003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with), and the
 * venue refuses it with -4023; a bot that floors to a multiple of the symbol's stepSize is accepted.
 */
export default defineScenario({
  id: 'symbol-filters-quarter-step',
  title: 'A symbol with tickSize 0.5 and stepSize 0.25',
  description:
    'The bot trades QTRUSDT (tickSize 0.5, stepSize 0.25, minQty 0.25, minNotional 5) around 157 USDT, no fault. ' +
    'Passes when no order is refused for breaking a price, quantity or notional filter (-1111, -4003/-4004/-4005, -4013/-4014, -4023, -4164 ...).',
  findings: ['003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'QTRUSDT', startPrice: 157, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [],
  checks: [{ name: 'orders-respect-filters' }],
});
