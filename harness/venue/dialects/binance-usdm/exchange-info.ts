/**
 * GET /fapi/v1/exchangeInfo body, shaped like the live USD-M answer (top-level fields, rateLimits,
 * assets, and per-symbol filters with string values). Values that the simulation does not use
 * (delivery dates, margin percents) are copied from the live BTCUSDT entry.
 */
import type { SymbolConfig } from '../../types.ts';

/** PERCENT_PRICE band around the mark price; also what the order path enforces. */
export const MULTIPLIER_UP = '1.0500';
export const MULTIPLIER_DOWN = '0.9500';
/** The price-filter maxPrice, exported so order validation uses the very value it advertises. */
export const MAX_PRICE = '4529764';

function symbolInfo(s: SymbolConfig) {
  return {
    symbol: s.symbol,
    pair: s.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    marginAsset: s.quoteAsset,
    pricePrecision: s.pricePrecision,
    quantityPrecision: s.quantityPrecision,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: MAX_PRICE, tickSize: s.tickSize },
      { filterType: 'LOT_SIZE', stepSize: s.stepSize, maxQty: s.maxQty, minQty: s.minQty },
      { filterType: 'MARKET_LOT_SIZE', stepSize: s.stepSize, maxQty: s.marketMaxQty, minQty: s.minQty },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: s.minNotional },
      { filterType: 'PERCENT_PRICE', multiplierUp: MULTIPLIER_UP, multiplierDown: MULTIPLIER_DOWN, multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    // GTD is left out: the simulated engine does not support it, so it must not be advertised.
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

/** `rateLimits` are the ones the venue enforces (UsageMeter.advertised()). */
export function exchangeInfo(symbols: Iterable<SymbolConfig>, serverTime: number, rateLimits: readonly object[]) {
  const list = [...symbols];
  const quoteAssets = [...new Set(list.map((s) => s.quoteAsset))];
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits,
    exchangeFilters: [],
    assets: quoteAssets.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-10000' })),
    symbols: list.map(symbolInfo),
  };
}
