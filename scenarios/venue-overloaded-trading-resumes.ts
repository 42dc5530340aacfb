import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue refuses new orders for 2.5 s as overloaded (HTTP 400, -1008 "Server is currently
 * overloaded with other requests"), a rejection that says "try again later", then accepts them
 * again. A bot whose state machine sends the runner to ERROR on any failed order and has no edge
 * out of ERROR (004_8a8a9a4995486b8f.txt#H-FSM-01: transition table gaps leave symbols stuck in
 * ERROR) keeps running, beating and streaming but never trades again; a hardened one trades again
 * once the venue answers. It must also trade at its usual size: budget reserved for the refused
 * orders and never released (004_8a8a9a4995486b8f.txt#H-ENG-01 pending intents never cleaned,
 * #H-PORT-06 stale reservations) leaves it opening smaller positions, or none.
 */
export default defineScenario({
  id: 'venue-overloaded-trading-resumes',
  title: 'The venue rejects orders as overloaded for 2.5 s, then recovers',
  description:
    'rest-error on POST /fapi/v1/order at 3 s for 2.5 s: HTTP 400, code -1008 "Server is currently overloaded…", nothing executed. ' +
    'Passes when the bot’s heartbeat never pauses more than 1000 ms, it sends an order within 6000 ms after the fault healed, and its first opening ' +
    'order after the heal (or after the resume of a halt the refusals tripped) is at least half its usual notional.',
  findings: ['004_8a8a9a4995486b8f.txt#H-FSM-01', '004_8a8a9a4995486b8f.txt#H-ENG-01', '004_8a8a9a4995486b8f.txt#H-PORT-06'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 17_000,
  faults: [
    {
      kind: 'rest-error',
      at: 3000,
      params: {
        durationMs: 2500,
        method: 'POST',
        path: '/fapi/v1/order',
        status: 400,
        code: -1008,
        msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
      },
    },
  ],
  checks: [
    { name: 'loop-never-stalls', options: { maxGapMs: 1000, resumeWithinMs: 6000 } },
    { name: 'budget-released', options: { resumeWithinMs: 6000, minSizePct: 50 } },
  ],
});
