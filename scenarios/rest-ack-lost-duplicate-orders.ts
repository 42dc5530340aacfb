import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue executes the bot's 3rd order but the answer never arrives (the connection dies). A
 * bot whose order call retries on its own under a new client order id places the same order
 * again (003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry); a
 * hardened one keeps the intent's clientOrderId, looks the order up and finds it executed.
 */
export default defineScenario({
  id: 'rest-ack-lost-duplicate-orders',
  title: 'The answer to an executed order is lost',
  description:
    'The 3rd order the bot places executes on the venue but its HTTP response is lost (rest-ack-lost, one order). ' +
    'Passes when no order repeating that intent (same symbol, side, qty and reduceOnly, or the same clientOrderId accepted again) ' +
    'reaches the venue within 5 s, before an opposite-side order of the bot.',
  findings: ['003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry'],
  suites: ['smoke', 'nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  // Armed by the bot's 2nd accepted order, the fault takes the 3rd: refbot's cycle (LONG, FLAT,
  // SHORT, FLAT) makes that the SHORT entry (a lost reduce-only exit cannot be duplicated: the
  // venue rejects its re-send), whatever the bot's startup time.
  faults: [{ kind: 'rest-ack-lost', on: { event: 'order.accepted', nth: 2 }, params: { durationMs: 3000, count: 1 } }],
  checks: [{ name: 'one-order-per-intent', options: { windowMs: 5000 } }],
});
