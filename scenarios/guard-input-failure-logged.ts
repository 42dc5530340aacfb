import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The account balance the drawdown guard reads (GET /fapi/v2/balance) fails for 3 s. Handling it
 * quietly is the audited failure: the margin-ratio read caught every exception and returned a
 * default without a log line (001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently),
 * so the operator never learned the account source was down. The bot may fail closed or use a safe
 * default, but its log must say so while the failure lasts. The output is scanned from just before
 * the failure to 2 s after it for a log line naming the endpoint (JSON probe lines on stdout do not
 * count: they are machine signals, not the operator's log).
 */
export default defineScenario({
  id: 'guard-input-failure-logged',
  title: 'Account balance endpoint fails for 3 s: the bot must log it',
  description:
    'From 3.5 s, GET /fapi/v2/balance answers 400 -1000 for 3 s (rest-error). The bot’s output from 3 s to 8 s is scanned for a log line ' +
    'naming /fapi/v2/balance (target-output-scan, durationMs). Passes when the bot called the endpoint while it failed and logged it; fails ' +
    'when it ran into the failure and said nothing.',
  findings: ['001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    { kind: 'target-output-scan', at: 3000, params: { grep: '^(?!\\{).*/fapi/v2/balance', durationMs: 5000 } },
    {
      kind: 'rest-error',
      at: 3500,
      params: {
        durationMs: 3000,
        method: 'GET',
        path: '/fapi/v2/balance',
        status: 400,
        code: -1000,
        msg: 'An unknown error occurred while processing the request.',
      },
    },
  ],
  checks: [{ name: 'failures-logged', options: {} }],
});
