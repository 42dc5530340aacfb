import { defineScenario } from '../harness/core/scenario.ts';

/**
 * After the bot's 5th accepted order (a LONG entry in refbot's LONG, FLAT, SHORT, FLAT cycle) the
 * venue rejects its orders with -2019 "Margin is insufficient." for 2 s: an account-level error
 * that puts refbot's runner in its sticky ERROR state, holding the position. Well after the venue
 * is healthy again, the bot is asked to stop. A runner whose transition map has no ERROR ->
 * STOPPING skips the cancel and close cleanup on stop
 * (003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition).
 */
export default defineScenario({
  id: 'sigterm-in-error-state',
  title: 'SIGTERM while the bot is in its error state',
  description:
    'rest-error 400/-2019 on POST /fapi/v1/order for 2000 ms from the bot’s 5th accepted order, then process-signal SIGTERM (3000 ms grace) 4000 ms later. ' +
    'Passes when, after the signal, the bot sends no risk-increasing order, leaves no order open and no position unprotected, and exits 0 within the grace.',
  findings: ['003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [
    {
      kind: 'rest-error',
      on: { event: 'order.accepted', nth: 5 },
      params: { durationMs: 2000, method: 'POST', path: '/fapi/v1/order', status: 400, code: -2019, msg: 'Margin is insufficient.' },
    },
    { kind: 'process-signal', on: { event: 'order.accepted', nth: 5, delayMs: 4000 }, params: { signal: 'SIGTERM', graceMs: 3000 } },
  ],
  checks: [{ name: 'clean-sigterm' }],
});
