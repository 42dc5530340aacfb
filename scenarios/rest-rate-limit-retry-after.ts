import { defineScenario } from '../harness/core/scenario.ts';

/**
 * A rate-limit storm: for 5 s the venue answers every REST request of the bot 429 -1003 with
 * Retry-After 2, and 418 (banned) from the 5th request of the storm on. A bot that treats the 429
 * as an error like any other keeps sending at its trading cadence and earns the ban
 * (002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan: "retry intervals must grow
 * and honour Retry-After"); a disciplined one sends nothing, on any path, until Retry-After has
 * elapsed. A bot whose rate limiter guards only some paths keeps polling market data through the
 * pause (004_8a8a9a4995486b8f.txt#H-SERV-04 get_ticker(), 004_8a8a9a4995486b8f.txt#H-ADAPTER-03
 * fetch_order_book()).
 */
export default defineScenario({
  id: 'rest-rate-limit-retry-after',
  title: 'The venue rate-limits the bot (429 with Retry-After, then 418)',
  description:
    'rest-rate-limit for 5 s at 3 s: every REST request answered 429 -1003 with Retry-After 2 s, the 5th and later 418 (IP banned). ' +
    'Passes when, after each 429/418, no REST request of the bot reaches the venue before its Retry-After has elapsed (250 ms grace for a request already in flight).',
  findings: [
    '002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan',
    '004_8a8a9a4995486b8f.txt#H-SERV-04',
    '004_8a8a9a4995486b8f.txt#H-ADAPTER-03',
  ],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [{ kind: 'rest-rate-limit', at: 3000, params: { durationMs: 5000, retryAfterS: 2, banAfter: 4 } }],
  checks: [{ name: 'outbound-discipline', options: { rules: ['retry-after'], graceMs: 250 } }],
});
