import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The user-data stream drops for 3 s while orders fill in slices. A bot that flips its private
 * stream back to "connected" and goes on trading without re-reading its state
 * (003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but), or that
 * re-reads positions but not open orders
 * (003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via), fails; a
 * hardened one waits for the stream, GETs positionRisk and openOrders, then trades.
 */
export default defineScenario({
  id: 'user-stream-gap-refetch',
  title: 'The user-data stream drops while orders are filling',
  description:
    'Orders fill in 3 slices 300 ms apart (partial-fills); at 4 s the user-data WebSocket link is cut for 3 s (ws-disconnect user-ws). ' +
    'Passes when the first risk-increasing order after the gap comes after the stream reopened and after a GET of positions and of openOrders.',
  findings: [
    '003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but',
    '003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via',
  ],
  suites: ['nightly'],
  requires: ['ws-user', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [
    { kind: 'partial-fills', at: 0, params: { slices: 3, intervalMs: 300 } },
    { kind: 'ws-disconnect', link: 'user-ws', at: 4000, params: { durationMs: 3000 } },
  ],
  checks: [{ name: 'private-state-refetched', options: { openOrders: true, reactionMs: 250 } }],
});
