import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Right after the bot's 2nd accepted order the venue expires its listen key: listenKeyExpired is
 * pushed and the socket is left open, but no private event will come on it. A bot that only logs
 * it stays on the dead stream and trades blind (000_2ae31cbfe79758d1.txt#S-M4); a hardened one
 * reconnects with a new key and re-fetches positions and open orders before its next entry.
 */
export default defineScenario({
  id: 'listen-key-expired-reconnect',
  title: 'The listen key expires while the bot trades',
  description:
    'Armed by the bot’s 2nd accepted order, the venue expires its listen key (listen-key-expire: listenKeyExpired pushed, socket left open). ' +
    'Passes when the first risk-increasing order after it comes after a new user-data connection and a GET of positions and of openOrders.',
  findings: ['000_2ae31cbfe79758d1.txt#S-M4', '003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but'],
  suites: ['nightly'],
  requires: ['ws-user', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [{ kind: 'listen-key-expire', on: { event: 'order.accepted', nth: 2 }, params: {} }],
  checks: [{ name: 'private-state-refetched', options: { openOrders: true, reactionMs: 250 } }],
});
