import { defineScenario } from '../harness/core/scenario.ts';

/**
 * An earlier process of the bot left three resting orders under its clientOrderId prefix; the
 * operator halts the bot, and the venue fails the first cancel it gets, without cancelling. A bot
 * that cancels them in one DELETE /fapi/v1/batchOrders must read each entry of the answer: the
 * batch is HTTP 200 whatever its entries say. One that reads the answer with the wrong shape
 * (003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads: "code reads
 * result["result"]["list"] while client already returns extracted result") counts every order
 * cancelled and leaves the failed one working behind a halted bot.
 */
export default defineScenario({
  id: 'halt-batch-cancel-entry-fails',
  title: 'Halt with three of the bot’s orders resting, and one cancel of the batch fails',
  description:
    'predecessor-orders at 0.5 s: three GTC BUY LIMIT 0.010 @ 45000 (25% under the market) under the bot’s own clientOrderId prefix; ' +
    'cancel-fail (503 -1001, once) from 2.5 s; an authorised POST /halt at 3 s (control-api-halt). ' +
    'Passes when every risk-increasing order working when the bot prints halt has ended within 3 s.',
  findings: ['003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes', 'control-api', 'order-id-prefix'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 9000,
  faults: [
    { kind: 'predecessor-orders', at: 500, params: { symbol: 'BTCUSDT', side: 'BUY', price: '45000', qty: '0.010', count: 3 } },
    { kind: 'cancel-fail', at: 2500, params: { durationMs: 3000, count: 1 } },
    { kind: 'control-api-halt', at: 3000, params: { file: 'refbot-control.json', reason: 'faultline: operator halt with resting orders' } },
  ],
  checks: [{ name: 'halt-cancels-working', options: { cancelWithinMs: 3000 } }],
});
