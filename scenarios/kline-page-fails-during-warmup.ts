import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue has two hours of one-minute klines from before the run. At 1.2 s the bot is SIGKILLed
 * and restarted, so it warms its indicators up again from nothing, paging through the history by
 * startTime; from 1 s to 5 s every klines request but the first fails with 503. A bot whose page
 * loop ends on an API error as if the history were complete
 * (003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break: "_fetch_from_api()
 * swallows API exceptions as break; _sync_symbol_timeframe() can still update metadata after
 * partial fetch") trades on the gappy history at once; a hardened one holds new risk and fetches
 * the failed page again once the endpoint answers.
 */
export default defineScenario({
  id: 'kline-page-fails-during-warmup',
  title: 'A kline history page fails while the restarted bot warms up',
  description:
    'market.historyMinutes 120; rest-error (503) on GET /fapi/v1/klines from 1 s for 4 s, letting the first request through (skip 1); ' +
    'process-kill (SIGKILL, restart after 0.3 s) at 1.2 s, so the new process pages through its history while the endpoint fails. ' +
    'Passes when no risk-increasing order of the bot reaches the venue while a kline window it asked for failed and has not been fetched since.',
  findings: ['003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003, historyMinutes: 120 },
  durationMs: 12_000,
  faults: [
    { kind: 'rest-error', at: 1000, params: { durationMs: 4000, method: 'GET', path: '/fapi/v1/klines', skip: 1 } },
    { kind: 'process-kill', at: 1200, params: { signal: 'SIGKILL', restartAfterMs: 300 } },
  ],
  checks: [{ name: 'history-gaps-refilled' }],
});
