import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is told to bind its control API to 0.0.0.0. The API speaks plain HTTP with a bearer token:
 * bound beyond loopback, the token crosses the network in cleartext and every host that can reach the
 * port can try it (000_2ae31cbfe79758d1.txt#T-M7; nothing stops a 0.0.0.0 bind at runtime,
 * 001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0). A hardened bot refuses to start.
 * Nothing connects to the wildcard address: the run only observes whether the bot comes up.
 */
export default defineScenario({
  id: 'control-api-public-bind-fails-fast',
  title: 'Started with its plain-HTTP control API bound to 0.0.0.0',
  description:
    'Every instance is started with REFBOT_CONTROL_HOST=0.0.0.0. Passes when it exits non-zero within 5 s naming the variable and places ' +
    'no order; fails when it binds the wildcard address, becomes ready and trades.',
  findings: ['000_2ae31cbfe79758d1.txt#T-M7', '001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0'],
  suites: ['nightly'],
  requires: ['rest-orders', 'control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_CONTROL_HOST: '0.0.0.0' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
