import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's config file is world-writable (mode 0666): any local user can rewrite its risk limits. A
 * loader that warns and loads it anyway (000_2ae31cbfe79758d1.txt#E-M3) trades on whatever the file
 * says. A hardened bot refuses to start, naming the file.
 */
export default defineScenario({
  id: 'config-world-writable-fails-fast',
  title: 'Started with a world-writable config file',
  description:
    'Every instance is started with REFBOT_CONFIG_FILE pointing at a valid file of mode 0666. Passes when it exits non-zero within 5 s ' +
    'naming the variable and places no order; fails when it loads the file, becomes ready and trades.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M3'],
  suites: ['nightly'],
  requires: ['rest-orders', 'config-file'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: {
    env: { REFBOT_CONFIG_FILE: '{STATE_DIR}/refbot.json' },
    files: { 'refbot.json': { content: '{"risk": {"REFBOT_MAX_NOTIONAL_USD": 200}}\n', mode: 0o666 } },
    decideMs: 8000,
  },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
