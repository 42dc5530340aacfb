import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with its daily loss limit set to "nan". A config reader that parses floats
 * without an isfinite check, behind a range test NaN never fails (000_2ae31cbfe79758d1.txt#E-M4),
 * accepts it, and a NaN limit never trips (every comparison with NaN is false): the bot trades
 * without a daily-loss guard. A hardened one exits non-zero at once naming the variable.
 */
export default defineScenario({
  id: 'config-nan-limit-fails-fast',
  title: 'Started with a NaN daily loss limit',
  description:
    'Every instance is started with REFBOT_MAX_DAILY_LOSS_USD=nan. Passes when it exits non-zero within 5 s, its stderr names the ' +
    'variable or the value, and it places no order; fails when it accepts NaN, becomes ready and trades.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M4'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_MAX_DAILY_LOSS_USD: 'nan' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
