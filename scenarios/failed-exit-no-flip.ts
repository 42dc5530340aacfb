import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's exit after its first entry is rejected (rest-error 400 on POST /fapi/v1/order for
 * 1.2 s, armed by its 1st accepted order), so the next phase finds the old side still open. A bot
 * that closes it and opens the other side with one plain order flips the position without a
 * reduce-only flatten (001_0474a2fd1532b929.txt#M2); a hardened one sends a reduce-only exit first.
 */
export default defineScenario({
  id: 'failed-exit-no-flip',
  title: 'An exit is rejected and the position is still open at the next phase',
  description:
    'Armed by the bot’s 1st accepted order, POST /fapi/v1/order answers 400 -1001 for 1.2 s (rest-error), which rejects the exit that follows. ' +
    'Passes when every order that reduces a position is reduce-only (none flips it through zero).',
  findings: ['001_0474a2fd1532b929.txt#M2'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [
    {
      kind: 'rest-error',
      on: { event: 'order.accepted', nth: 1 },
      params: {
        durationMs: 1200,
        method: 'POST',
        path: '/fapi/v1/order',
        status: 400,
        code: -1001,
        msg: 'Internal error; unable to process your request. Please try again.',
      },
    },
  ],
  checks: [{ name: 'exits-reduce-only' }],
});
