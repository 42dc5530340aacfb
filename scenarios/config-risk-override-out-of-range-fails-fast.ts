import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with an environment override that sets its max drawdown to 400 %, a limit
 * that can never trip. A config layer that applies environment overrides of risk limits without
 * the validation the profile's own values get
 * (002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile) trades with its drawdown guard
 * silently off; a hardened one exits non-zero at once naming the variable and its bounds.
 */
export default defineScenario({
  id: 'config-risk-override-out-of-range-fails-fast',
  title: 'Started with a risk limit overridden out of range',
  description:
    'Every instance is started with REFBOT_MAX_DRAWDOWN_PCT=400 (valid: 0.01..100). Passes when it exits non-zero within 5 s, its ' +
    'stderr names the variable or the value, and it places no order; fails when it applies the override, becomes ready and trades.',
  findings: ['002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_MAX_DRAWDOWN_PCT: '400' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
