import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's decisions use a one-minute candle. The kline stream pushes the live candle every
 * 250 ms; the REST klines endpoint answers 600 ms late all run long. A WS overlay that looks the
 * live candle up under the raw interval ("1") while the stream's candles are stored as "1m"
 * never finds it and silently decides on the REST candle of its warmup
 * (003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15); the price moves every
 * tick, so that candle's close is soon a price the venue no longer has. A hardened bot decides on
 * the live candle, or not at all.
 */
export default defineScenario({
  id: 'kline-overlay-rest-lags',
  title: 'Fresh kline stream, lagging REST klines: decisions use the live candle',
  description:
    'market.historyMinutes 120; rest-slow (600 ms) on GET /fapi/v1/klines for the whole run; the market moves every 250 ms tick. Passes when every risk-increasing ' +
    'order whose decision names a candle (order probe `candle`) names one whose close is a price the venue had within 1.5 s of the decision.',
  findings: ['003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15'],
  suites: ['nightly'],
  requires: ['ws-market', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0004, historyMinutes: 120 },
  durationMs: 15_000,
  faults: [{ kind: 'rest-slow', at: 0, params: { durationMs: 15_000, delayMs: 600, method: 'GET', path: '/fapi/v1/klines' } }],
  checks: [{ name: 'decision-candle-current', options: { maxAgeMs: 1500 } }],
});
