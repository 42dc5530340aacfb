import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The kline history comes back with holed candles (null OHLCV) while the market WebSocket drops
 * once, so the bot re-warms its indicators on it; the klines heal 3 s later. An indicator provider
 * that appends NaN placeholders, behind a readiness gate that rejects NaN, while the only update
 * that would replace them runs after the gate, deadlocks: the bot never opens risk again
 * (003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders,
 * "live/demo can stall in warmup indefinitely"). A hardened one treats a bad candle as a gap and
 * trades on.
 */
export default defineScenario({
  id: 'warmup-null-candles-trading-resumes',
  title: 'Holed kline history on a re-warm: the readiness gate does not deadlock',
  description:
    'klines-degenerate (every candle with null OHLCV) from 2 s for 3 s; ws-disconnect of the market stream (500 ms) at 2.5 s, so the bot ' +
    're-warms on the holed history. Passes when no heartbeat gap exceeds 1000 ms and the bot, having traded before the faults, ' +
    'sends a new order within 3000 ms of the last heal.',
  findings: ['003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders', 'ws-market'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    { kind: 'klines-degenerate', at: 2000, params: { durationMs: 3000, every: 1, fields: 'ohlcv' } },
    { kind: 'ws-disconnect', link: 'market-ws', at: 2500, params: { durationMs: 500 } },
  ],
  checks: [{ name: 'loop-never-stalls', options: { maxGapMs: 1000, resumeWithinMs: 3000 } }],
});
