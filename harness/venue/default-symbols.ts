import type { SymbolConfig } from './types.ts';

/**
 * The symbols a scenario trades unless it says otherwise. Filters follow Binance USD-M's real
 * BTCUSDT/ETHUSDT rules, except minNotional, which is raised (100 / 20 USDT) so that
 * "order too small" paths are easy to reach from a bot.
 */
export const DEFAULT_SYMBOLS: readonly SymbolConfig[] = Object.freeze([
  {
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    tickSize: '0.10',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '1000',
    marketMaxQty: '120',
    minNotional: '100',
    pricePrecision: 2,
    quantityPrecision: 3,
  },
  {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '10000',
    marketMaxQty: '2000',
    minNotional: '20',
    pricePrecision: 2,
    quantityPrecision: 3,
  },
]);
