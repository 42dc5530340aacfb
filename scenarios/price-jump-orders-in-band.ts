import { defineScenario } from '../harness/core/scenario.ts';

/**
 * A fast market on QTRUSDT (tickSize 0.5): about 0.5 % per tick, so the price moves several percent
 * within seconds. Exit prices computed from the entry with a floor on one side only (a short's
 * stop-loss with no ceiling, 001_0474a2fd1532b929.txt#asymmetric-tp-sl-floor-logic-short-sl-has)
 * land outside the venue's PRICE_FILTER / PERCENT_PRICE band after such a jump and are refused
 * (-4016, -4024, -4002); so are prices quantised to 0.01 (-4014). A bot that derives every price and
 * quantity from the symbol's filters and the current mark is never refused.
 */
export default defineScenario({
  id: 'price-jump-orders-in-band',
  title: 'Fast price moves: every order stays inside the price filters',
  description:
    'The bot trades QTRUSDT (tickSize 0.5, stepSize 0.25) from 157 USDT with a log-return volatility of 0.5 % per 250 ms tick, no fault. ' +
    'Passes when no order is refused for breaking a price, quantity or notional filter (PRICE_FILTER, PERCENT_PRICE, LOT_SIZE, MIN_NOTIONAL).',
  findings: ['001_0474a2fd1532b929.txt#asymmetric-tp-sl-floor-logic-short-sl-has'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'QTRUSDT', startPrice: 157, tickMs: 250, volPerTick: 0.005 },
  durationMs: 12_000,
  faults: [],
  checks: [{ name: 'orders-respect-filters' }],
});
