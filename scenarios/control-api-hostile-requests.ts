import { defineScenario } from '../harness/core/scenario.ts';

/**
 * While the bot trades, a client on the bot's host sends its control API a battery of hostile
 * requests (fault control-api-probe): POST /halt without a token and with a wrong one, a 2 MiB
 * body, a malformed JSON body, GET /docs and GET /openapi.json without a token, and a burst of 30
 * requests. A hardened control API refuses the first two (401, no halt), the oversized body (413),
 * serves no interactive docs or schema (001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled),
 * rate-limits the burst (429) and answers errors
 * generically, on a loopback socket (000_2ae31cbfe79758d1.txt#T-H4, #T-M5, #X-L2;
 * 001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses, #M7). At the end of
 * the window the bot's output is scanned (target-output-scan) for lines about those requests: each
 * kind of error answer must have been logged (000_2ae31cbfe79758d1.txt#T-L9).
 */
export default defineScenario({
  id: 'control-api-hostile-requests',
  title: 'Hostile requests to the bot’s control API',
  description:
    'control-api-probe at 3 s: no/wrong token POST /halt, a 2 MiB POST, a malformed JSON POST, GET /docs and /openapi.json without a token, ' +
    'then 30 back-to-back GET /status. Passes when unauthorised requests get 401/403 and no halt, the oversized body 413, the docs and ' +
    'schema anything but 2xx, the burst a 429 within 20 requests, ' +
    'no error answer shows a traceback, path, exception class or secret, the control port listens on loopback only, ' +
    'and the bot’s output (scanned at the end) has a line naming each kind of error answer (method, path, status).',
  findings: [
    '000_2ae31cbfe79758d1.txt#T-H4',
    '000_2ae31cbfe79758d1.txt#T-M5',
    '001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses',
    '000_2ae31cbfe79758d1.txt#X-L2',
    '001_0474a2fd1532b929.txt#M7',
    '000_2ae31cbfe79758d1.txt#T-L9',
    '001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled',
  ],
  suites: ['nightly'],
  requires: ['control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [
    { kind: 'control-api-probe', at: 3000, params: { file: 'refbot-control.json', burst: 30, oversizeBytes: 2 * 1024 * 1024 } },
    { kind: 'target-output-scan', at: 0, params: { grep: ' /(halt|status|docs|openapi\\.json)\\b', maxLines: 500 } },
  ],
  checks: [{ name: 'control-api-hardened', options: { maxBurst: 20 } }],
});
