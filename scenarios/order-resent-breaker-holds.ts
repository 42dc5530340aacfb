import { defineScenario } from '../harness/core/scenario.ts';

/**
 * After the bot's first accepted order, the order endpoint answers 503 "Service Unavailable." for
 * 12 s. A hardened bot looks each failed order up and re-sends it with the same clientOrderId
 * once its recvWindow has passed: one order, three sends. A breaker that counts each failed send
 * as a new error (001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors:
 * "Circuit breaker counts retried rejections as new errors") trips on that one order; one that
 * counts orders does not.
 */
export default defineScenario({
  id: 'order-resent-breaker-holds',
  title: 'One order re-sent three times must not trip the circuit breaker on its own',
  description:
    'rest-error (503, -1001 "Service Unavailable.") on POST /fapi/v1/order from the first accepted order on, for 12 s. ' +
    'Passes when the bot does not halt on its breaker (a halt reason naming rejections) before at least 3 distinct orders failed ' +
    'since its last accepted one; re-sends of one order (same request digest) count once.',
  findings: ['001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 20_000,
  faults: [
    { kind: 'rest-error', on: { event: 'order.accepted', nth: 1 }, params: { durationMs: 12_000, method: 'POST', path: '/fapi/v1/order', status: 503 } },
  ],
  checks: [{ name: 'breaker-counts-intents', options: { tripAfter: 3 } }],
});
