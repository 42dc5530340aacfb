import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with a misspelt option name: REFBOT_MAX_NOTIONAL=50 where the option is
 * REFBOT_MAX_NOTIONAL_USD. A bot whose config has no schema (002_3e6ca2bf6dfde12d.txt#R5: a deep
 * merge that takes any key) carries the unknown key along unread and trades with the default
 * notional the operator meant to lower; a hardened one exits non-zero at once naming the variable.
 */
export default defineScenario({
  id: 'config-unknown-option-fails-fast',
  title: 'Started with a misspelt option name',
  description:
    'Every instance is started with REFBOT_MAX_NOTIONAL=50 (a typo of REFBOT_MAX_NOTIONAL_USD). Passes when it exits non-zero within 5 s, ' +
    'its stderr names the variable or the value, and it places no order; fails when it ignores the name, becomes ready and trades.',
  findings: ['002_3e6ca2bf6dfde12d.txt#R5'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_MAX_NOTIONAL: '50' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
