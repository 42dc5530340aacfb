import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator pauses trading (authorised POST /halt on the control API) while an order of the bot
 * is still filling: every order executes in 8 slices 300 ms apart, and the pause lands 400 ms after
 * the venue accepted the bot's 2nd order. The audited fill callback checked the critical-error
 * flag but not the pause flag (001_0474a2fd1532b929.txt#on-order-filled-checks-critical-error-but-not),
 * so the fills that kept arriving after the pause placed new risk orders. A hardened bot places no
 * risk-increasing order from the pause on, fills or not (reduce-only exits stay allowed).
 */
export default defineScenario({
  id: 'pause-while-filling',
  title: 'Operator pause while an order is still filling',
  description:
    'From the start every order executes in 8 slices 300 ms apart (partial-fills); 400 ms after the venue accepts the bot’s 2nd order an ' +
    'authorised POST /halt reaches its control API (control-api-halt). Passes when, once the bot has printed halt, no risk-increasing order ' +
    'of it reaches the venue until it prints resume.',
  findings: ['001_0474a2fd1532b929.txt#on-order-filled-checks-critical-error-but-not'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes', 'control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'partial-fills', at: 0, params: { slices: 8, intervalMs: 300 } },
    {
      kind: 'control-api-halt',
      on: { event: 'order.accepted', nth: 2, delayMs: 400 },
      params: { file: 'refbot-control.json', reason: 'faultline: operator pause while an order fills' },
    },
  ],
  checks: [{ name: 'halt-gates-all-orders' }],
});
