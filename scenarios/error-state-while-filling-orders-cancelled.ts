import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot enters ERROR while an order of its own is still filling: every order executes in slices
 * over about 9 s, and 500 ms after the venue accepts the bot's first order (its position is open)
 * the venue pushes a MARGIN_CALL, which the bot takes as a reason to stop trading. A runner that
 * enters ERROR "without cleanup" (004_8a8a9a4995486b8f.txt#H-FSM-05: it neither cancels orders nor
 * releases budget) leaves that order working, and filling, behind a bot that has stopped; a
 * hardened one cancels it as it would at a halt. Targets that do not react to a margin call at all
 * answer unknown: they never stop.
 */
export default defineScenario({
  id: 'error-state-while-filling-orders-cancelled',
  title: 'A margin call sends the bot into ERROR while its order fills',
  description:
    'Every order executes in 16 slices 600 ms apart (partial-fills); 500 ms after the venue accepts the bot’s first order, a MARGIN_CALL ' +
    'for its position arrives on the user stream (margin-call). ' +
    'Passes when every risk-increasing order still working when the bot’s lifecycle enters ERROR (or it halts) has ended (cancelled or fully filled) within 3 s.',
  findings: ['004_8a8a9a4995486b8f.txt#H-FSM-05'],
  suites: ['nightly'],
  requires: ['rest-orders', 'ws-user', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    { kind: 'partial-fills', at: 0, params: { slices: 16, intervalMs: 600 } },
    { kind: 'margin-call', on: { event: 'order.accepted', nth: 1, delayMs: 500 }, params: {} },
  ],
  checks: [{ name: 'halt-cancels-working', options: { cancelWithinMs: 3000 } }],
});
