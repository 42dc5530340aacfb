import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot starts flat and trades. A bot that starts its private (user-data) stream only for symbols
 * it already holds a position in returns early when it has none
 * (003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current), so its first
 * order's fill and the position it opens reach no listener. A hardened bot has its user-data stream
 * open before its first risk-increasing order.
 */
export default defineScenario({
  id: 'user-stream-before-first-order',
  title: 'Starting flat: the user-data stream is up before the first order',
  description:
    'No fault: the bot starts with no position and trades for 8 s. Passes when its first risk-increasing order reaches the venue after ' +
    'a user-data WebSocket of the same process is open; fails when the order comes first.',
  findings: ['003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current'],
  suites: ['nightly'],
  requires: ['ws-user', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [],
  checks: [{ name: 'private-state-refetched', options: { atStart: true } }],
});
