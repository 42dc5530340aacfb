import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with a typo in the price source of its volatility feature:
 * REFBOT_VOL_SOURCE=closee. A strategy config whose invalid feature source silently falls back to
 * the close (003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close) runs a
 * strategy other than the one configured; a hardened bot rejects the config, naming the variable.
 */
export default defineScenario({
  id: 'config-feature-source-typo-fails-fast',
  title: 'Started with a typo in a feature source',
  description:
    'Every instance is started with REFBOT_VOL_SOURCE=closee (not one of open, high, low, close, hl2). Passes when it exits non-zero within ' +
    '5 s naming the variable or the value and places no order; fails when it falls back to a default, becomes ready and trades.',
  findings: ['003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_VOL_SOURCE: 'closee' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
