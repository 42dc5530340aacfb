import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot trades DECUSDT, whose stepSize 0.1 has no exact binary form. A quantity floored to the
 * step in floats and sent as the float's repr carries noise (33 * 0.1 = 3.3000000000000003,
 * 000_2ae31cbfe79758d1.txt#S-H2 round_size, 001_0474a2fd1532b929.txt#C7 PrecisionGuard), and the
 * venue refuses it with -1111 (precision over the symbol's maximum); a bot that floors in Decimal
 * sends 3.3 and is accepted.
 */
export default defineScenario({
  id: 'symbol-filters-float-step',
  title: 'A symbol with stepSize 0.1 (no exact binary float)',
  description:
    'The bot trades DECUSDT (tickSize 0.01, stepSize 0.1, quantityPrecision 1, minNotional 5) around 300 USDT, no fault: ' +
    'its target quantity 1000 / 300 floors to 3.3. Passes when no order is refused for breaking a price, quantity or notional filter ' +
    '(-1111, -4003/-4004/-4005, -4013/-4014, -4023, -4164 ...).',
  findings: ['000_2ae31cbfe79758d1.txt#S-H2', '001_0474a2fd1532b929.txt#C7'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'DECUSDT', startPrice: 300, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [],
  checks: [{ name: 'orders-respect-filters' }],
});
