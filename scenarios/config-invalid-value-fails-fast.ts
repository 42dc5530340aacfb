import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with a typo in its max notional ("1000usd"). A bot whose config loader
 * replaces an invalid value by its default (002_3e6ca2bf6dfde12d.txt#R5), or logs the load error
 * and carries on (001_0474a2fd1532b929.txt#C2), starts and trades; a hardened one exits non-zero
 * at once naming the variable.
 */
export default defineScenario({
  id: 'config-invalid-value-fails-fast',
  title: 'Started with a non-numeric max notional',
  description:
    'Every instance is started with REFBOT_MAX_NOTIONAL_USD="1000usd". Passes when it exits non-zero within 5 s, its stderr names the ' +
    'variable or the value, and it places no order; fails when it becomes ready (and trades) on a default instead.',
  findings: ['002_3e6ca2bf6dfde12d.txt#R5', '001_0474a2fd1532b929.txt#C2'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_MAX_NOTIONAL_USD: '1000usd' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
