import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The klines endpoint answers 2.5 s late from 2 s to 9 s, and at 4 s the market-data WebSocket drops
 * for 1 s: on reconnect the bot re-runs its indicator warmup (GET /fapi/v1/klines). A bot that makes
 * that warmup a blocking HTTP call inside its event loop (001_0474a2fd1532b929.txt#M3: blocking HTTP
 * warmup inside the Nautilus event loop) freezes market data, heartbeats and trading until the
 * answer comes; a hardened one warms up asynchronously with a short timeout.
 */
export default defineScenario({
  id: 'kline-warmup-slow-after-reconnect',
  title: 'The klines endpoint is slow when the market stream reconnects',
  description:
    'rest-slow (2.5 s) on GET /fapi/v1/klines at 2 s for 7 s; ws-disconnect of market-ws at 4 s for 1 s (the reconnect re-runs the warmup). ' +
    'Passes when no gap between two heartbeat probes of the bot (nor from the last one to the window end) exceeds 1000 ms.',
  findings: ['001_0474a2fd1532b929.txt#M3'],
  suites: ['nightly'],
  requires: ['probes', 'ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'rest-slow', at: 2000, params: { durationMs: 7000, delayMs: 2500, method: 'GET', path: '/fapi/v1/klines' } },
    { kind: 'ws-disconnect', link: 'market-ws', at: 4000, params: { durationMs: 1000 } },
  ],
  checks: [{ name: 'loop-never-stalls', options: { maxGapMs: 1000 } }],
});
