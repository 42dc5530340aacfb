import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The kline history the bot warms its indicators from comes back with holes: its candles have null
 * open, high, low, close and volume (every one: a fresh venue has a minute of history, one candle),
 * while the market WebSocket is cut twice so the bot warms up again on the holed history. Indicators
 * computed over None/NaN OHLCV are NaN (000_2ae31cbfe79758d1.txt#S-L2: get_candles_df may return
 * None/NaN OHLCV); a bot that sizes or prices orders from them sends NaN. A hardened one skips or
 * drops the bad candles.
 */
export default defineScenario({
  id: 'klines-null-fields-orders-well-formed',
  title: 'Kline history with null OHLCV: no order carries a NaN',
  description:
    'klines-degenerate (every candle with null OHLCV) for the whole window; ws-disconnect of the market stream (500 ms) at 1 s and 5 s, ' +
    'so the bot re-fetches its kline history. Passes when the quantity and price of every order the bot sends is a positive plain decimal.',
  findings: ['000_2ae31cbfe79758d1.txt#S-L2'],
  suites: ['nightly'],
  requires: ['rest-orders', 'ws-market'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    { kind: 'klines-degenerate', at: 0, params: { durationMs: 10_000, every: 1, fields: 'ohlcv' } },
    { kind: 'ws-disconnect', link: 'market-ws', at: 1000, params: { durationMs: 500 } },
    { kind: 'ws-disconnect', link: 'market-ws', at: 5000, params: { durationMs: 500 } },
  ],
  checks: [{ name: 'orders-well-formed' }],
});
