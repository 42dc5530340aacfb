import { defineScenario } from '../harness/core/scenario.ts';

/**
 * For 4 s the bot's market data shows a tenth of the real price (bookTicker and markPrice scaled
 * by 0.1: positive, uncrossed, plausible to a sanity check). A bot without a maximum notional /
 * quantity guard (000_2ae31cbfe79758d1.txt#S-C1) sizes its next entry off that print, ten times its
 * notional; a hardened one values every order at an independent reference (the REST mid) and
 * refuses it.
 */
export default defineScenario({
  id: 'scaled-price-order-cap',
  title: 'The market feed prints a tenth of the price for 4 s',
  description:
    'From 3 s, for 4 s, the bot’s bookTicker and markPrice prices are scaled by 0.1 (market-data-corrupt scale); REST and the venue’s matching keep the real price. ' +
    'Passes when no risk-increasing order, valued at the market mid, is above 1500 USD or takes position + pending same-side orders + itself above 1100 USD (refbot: maxNotionalUsd 1000, maxExposureUsd 1000).',
  findings: ['000_2ae31cbfe79758d1.txt#S-C1'],
  suites: ['nightly'],
  requires: ['ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [{ kind: 'market-data-corrupt', at: 3000, params: { mode: 'scale', factor: 0.1, durationMs: 4000 } }],
  // The bot's own limit at its sizing target (refbot's default is 3x, so that sizing bugs stay visible to their own checks).
  startup: { env: { REFBOT_MAX_EXPOSURE_USD: '1000' }, decideMs: 20_000 },
  checks: [{ name: 'exposure-within-limits', options: { maxOrderNotionalUsd: 1500, maxExposureNotionalUsd: 1100 } }],
});
