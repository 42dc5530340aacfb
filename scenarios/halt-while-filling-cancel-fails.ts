import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator halts the bot while its order is still filling, slice by slice, and the venue
 * refuses cancels for the next second. A panic that sends its cancels, ignores the answers and
 * reports them done leaves the order working, and filling, behind a bot that says it has halted
 * (003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without: orders_cancelled
 * set True without checking cancel_all_orders()'s result). A hardened one retries until the venue
 * confirms each cancel.
 */
export default defineScenario({
  id: 'halt-while-filling-cancel-fails',
  title: 'Halt while an order fills, and the first cancels are refused',
  description:
    'Every order executes in 16 slices 600 ms apart (partial-fills, about 9 s an order); 400 ms after the venue accepts the bot’s first order (it opens a position) an authorised POST /halt ' +
    'reaches its control API (control-api-halt), and from 350 ms after that order DELETE /fapi/v1/order answers 503 for 1 s (rest-error). ' +
    'Passes when every risk-increasing order still working when the bot prints halt has ended (cancelled or fully filled) within 5 s (room for retries with backoff or a circuit breaker).',
  findings: ['003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes', 'control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'partial-fills', at: 0, params: { slices: 16, intervalMs: 600 } },
    {
      kind: 'rest-error',
      on: { event: 'order.accepted', nth: 1, delayMs: 350 },
      params: { durationMs: 1000, method: 'DELETE', path: '/fapi/v1/order', status: 503 },
    },
    {
      kind: 'control-api-halt',
      on: { event: 'order.accepted', nth: 1, delayMs: 400 },
      params: { file: 'refbot-control.json', reason: 'faultline: operator halt while an order fills' },
    },
  ],
  checks: [{ name: 'halt-cancels-working', options: { cancelWithinMs: 5000 } }],
});
