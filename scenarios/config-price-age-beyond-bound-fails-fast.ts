import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with a max price age of one day. A bot whose validation bound is far too
 * wide (a week, 000_2ae31cbfe79758d1.txt#E-H9) accepts it and would act on day-old prices; a
 * hardened one rejects anything above its bound (1 hour) and exits non-zero naming the variable.
 */
export default defineScenario({
  id: 'config-price-age-beyond-bound-fails-fast',
  title: 'Started with a one-day max price age',
  description:
    'Every instance is started with REFBOT_MAX_PRICE_AGE_MS=86400000 (one day). Passes when it exits non-zero within 5 s naming the ' +
    'variable or the value, placing no order; fails when it accepts the value, becomes ready and trades.',
  findings: ['000_2ae31cbfe79758d1.txt#E-H9'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_MAX_PRICE_AGE_MS: '86400000' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
