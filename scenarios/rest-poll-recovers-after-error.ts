import { defineScenario } from '../harness/core/scenario.ts';

/**
 * One short outage of a polled endpoint must not slow the bot down for good. GET
 * /fapi/v1/ticker/bookTicker (the bot's REST cross-check of the stream's mid, polled every second)
 * answers 503 for 1.5 s at 4 s, then works again. A bot that switches that poll to a slow mode on
 * the first failure and never back (004_8a8a9a4995486b8f.txt#H-SERV-02: one batch fetch failure
 * switches market data permanently to slow mode) polls at a fraction of its rate for the rest of the
 * run; a hardened one is back to its cadence once the venue answers.
 */
export default defineScenario({
  id: 'rest-poll-recovers-after-error',
  title: 'A polled REST endpoint fails for 1.5 s, then recovers',
  description:
    'rest-error (503) on GET /fapi/v1/ticker/bookTicker at 4 s for 1.5 s. ' +
    'Passes when, from 3 s after the heal to the window end, the bot never goes more than 3x its pre-failure polling interval without calling that endpoint.',
  findings: ['004_8a8a9a4995486b8f.txt#H-SERV-02'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [{ kind: 'rest-error', at: 4000, params: { durationMs: 1500, method: 'GET', path: '/fapi/v1/ticker/bookTicker', status: 503 } }],
  checks: [{ name: 'outbound-discipline', options: { rules: ['recovery'], recoverySettleMs: 3000, slowFactor: 3 } }],
});
