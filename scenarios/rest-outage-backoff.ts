import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The order endpoint is down for 12 s: every POST /fapi/v1/order is answered 503 -1001 "Service
 * Unavailable." without executing. A bot without exponential backoff or a circuit breaker keeps
 * calling it at a fixed short pause (002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan,
 * 002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis, 004_8a8a9a4995486b8f.txt#H-SERV-03:
 * "Continues hammering exchange even at 100% failure"); a disciplined one waits longer and longer
 * and, after 3 failures in a row, leaves the endpoint alone for at least 2 s.
 */
export default defineScenario({
  id: 'rest-outage-backoff',
  title: 'The order endpoint fails for 12 s (503 Service Unavailable)',
  description:
    'rest-error on POST /fapi/v1/order for 12 s at 2 s: HTTP 503 -1001 "Service Unavailable.", without executing. ' +
    'Passes when, once the endpoint has failed 3 times in a row, every further request to it comes at least 2 s after the last failure ' +
    '(the audit’s tenacity stop_after_attempt(3), wait_exponential(min=2, max=10)).',
  findings: [
    '002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan',
    '002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis',
    '004_8a8a9a4995486b8f.txt#H-SERV-03',
  ],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 20_000,
  faults: [{ kind: 'rest-error', at: 2000, params: { durationMs: 12_000, method: 'POST', path: '/fapi/v1/order', status: 503 } }],
  checks: [{ name: 'outbound-discipline', options: { rules: ['backoff'], failureThreshold: 3, minPauseMs: 2000 } }],
});
