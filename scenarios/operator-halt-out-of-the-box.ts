import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot runs live with its defaults: no control API key and no operations settings given. The
 * operator then halts it through the control API the bot publishes (the URL and token in its
 * control file). A live bot that needs an API key it was not given and answers 403 to every control
 * call (001_0474a2fd1532b929.txt#H5: "POST returns 403 silently"), or whose operations API is off
 * unless enabled (001_0474a2fd1532b929.txt#enable-ops-defaults-to-false-for-live-trading), runs
 * with no runtime control; a hardened one generates a key, publishes it to the operator and obeys.
 */
export default defineScenario({
  id: 'operator-halt-out-of-the-box',
  title: 'The operator halts a bot started with its defaults (no API key, no ops settings)',
  description:
    'No control settings are given (no REFBOT_CONTROL_TOKEN, no control port). At 3 s an authorised POST /halt goes to the control API the ' +
    'bot published in its control file (control-api-halt). Passes when it answers 2xx and the bot halts within 2 s, and from then on sends ' +
    'no risk-increasing order until it resumes.',
  findings: ['001_0474a2fd1532b929.txt#H5', '001_0474a2fd1532b929.txt#enable-ops-defaults-to-false-for-live-trading'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes', 'control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [{ kind: 'control-api-halt', at: 3000, params: { file: 'refbot-control.json', reason: 'faultline: operator halt with default settings' } }],
  checks: [{ name: 'operator-control-works', options: { haltWithinMs: 2000 } }, { name: 'halt-gates-all-orders' }],
});
