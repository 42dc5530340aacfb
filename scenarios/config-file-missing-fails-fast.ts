import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is pointed at a config file that is not there. A loader whose error paths return an
 * empty dict instead of raising (002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions)
 * runs on defaults: every limit the operator set in the file is silently gone. A hardened bot exits
 * non-zero at once, naming the file.
 */
export default defineScenario({
  id: 'config-file-missing-fails-fast',
  title: 'Started with a config file that does not exist',
  description:
    'Every instance is started with REFBOT_CONFIG_FILE={STATE_DIR}/refbot.json, a file that is not there. Passes when it exits non-zero ' +
    'within 5 s naming the variable and places no order; fails when it runs on defaults, becomes ready and trades.',
  findings: ['002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions'],
  suites: ['nightly'],
  requires: ['rest-orders', 'config-file'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_CONFIG_FILE: '{STATE_DIR}/refbot.json' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
