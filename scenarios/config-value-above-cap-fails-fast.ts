import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with a 120 s order timeout where refbot allows at most 60 s. A config reader
 * that silently clamps a value into its bounds (000_2ae31cbfe79758d1.txt#E-M7: a configured 30 s
 * DB timeout silently became 5 s) starts on a setting the operator did not choose and never says
 * so; a hardened one exits non-zero at once naming the variable and its bounds.
 */
export default defineScenario({
  id: 'config-value-above-cap-fails-fast',
  title: 'Started with an order timeout above its cap',
  description:
    'Every instance is started with REFBOT_ORDER_TIMEOUT_MS=120000 (the cap is 60000). Passes when it exits non-zero within 5 s, its ' +
    'stderr names the variable or the value, and it places no order; fails when it clamps the value silently, becomes ready and trades.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M7'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_ORDER_TIMEOUT_MS: '120000' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
