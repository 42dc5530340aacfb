import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's config file gives its risk section as a scalar (`"risk": 5`) instead of an object. A
 * deep merge that takes a non-dict override silently (000_2ae31cbfe79758d1.txt#E-M2) drops the
 * section: the bot trades with default limits while the operator believes 5 was applied. A hardened
 * bot exits non-zero at once, naming the section.
 */
export default defineScenario({
  id: 'config-section-scalar-fails-fast',
  title: 'Started with a config file whose risk section is a scalar',
  description:
    'Every instance is started with REFBOT_CONFIG_FILE pointing at {"risk": 5, "loop": {...}}. Passes when it exits non-zero within 5 s ' +
    'naming the variable and places no order; fails when it drops the section, becomes ready and trades.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M2'],
  suites: ['nightly'],
  requires: ['rest-orders', 'config-file'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: {
    env: { REFBOT_CONFIG_FILE: '{STATE_DIR}/refbot.json' },
    files: { 'refbot.json': { content: '{"risk": 5, "loop": {"REFBOT_TRADE_INTERVAL_MS": 500}}\n', mode: 0o600 } },
    decideMs: 8000,
  },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
