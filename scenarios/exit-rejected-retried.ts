import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue refuses the bot's exits (reduce-only orders) with -1112 "No orders on book" from
 * 300 ms to 1.6 s after its 1st accepted order, which rejects the exit that follows it. A bot that
 * reports the failed close as done (003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally)
 * or drops it silently (000_2ae31cbfe79758d1.txt#S-M8, 000_2ae31cbfe79758d1.txt#S-H5) trades on a
 * position it no longer knows; a hardened one keeps the venue's position and re-sends the exit
 * reduce-only.
 */
export default defineScenario({
  id: 'exit-rejected-retried',
  title: 'The bot’s exit is rejected with no orders on book',
  description:
    'Armed 300 ms after the bot’s 1st accepted order, for 1.3 s the venue answers reduce-only orders 400 -1112 "No orders on book for symbol." (order-reject), which rejects the exit after the first entry. ' +
    'Passes when every rejected exit is re-sent reduce-only within 3 s (or the position goes flat), and the bot neither states the position closed nor sends another order before.',
  findings: [
    '003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally',
    '000_2ae31cbfe79758d1.txt#S-M8',
    '000_2ae31cbfe79758d1.txt#S-H5',
  ],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [{ kind: 'order-reject', on: { event: 'order.accepted', nth: 1, delayMs: 300 }, params: { durationMs: 1300 } }],
  checks: [{ name: 'exits-verified', options: { retryMs: 3000 } }],
});
