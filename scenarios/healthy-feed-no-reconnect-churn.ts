import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Nothing goes wrong for 16 s: the market ticks every 750 ms, a calm but live feed. A staleness
 * test that misjudges healthy data as stale (000_2ae31cbfe79758d1.txt#E-M10: in sidecar mode the WS
 * mid age is always None and `_ws_is_stale` answers True) tears the connection down and reconnects
 * over and over; a hardened bot keeps the connections it opened at start.
 */
export default defineScenario({
  id: 'healthy-feed-no-reconnect-churn',
  title: 'A calm, healthy feed: no reconnect churn',
  description:
    'No fault; market ticks every 750 ms for 16 s. Passes when, from 3 s after ready, the bot opens no new WebSocket connection ' +
    '(every reconnect would be churn: nothing explains it).',
  findings: ['000_2ae31cbfe79758d1.txt#E-M10'],
  suites: ['nightly'],
  requires: ['ws-market'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 750, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [],
  checks: [{ name: 'no-reconnect-churn', options: { settleMs: 3000, quietMs: 10_000 } }],
});
