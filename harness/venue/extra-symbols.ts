import { DEFAULT_SYMBOLS } from './default-symbols.ts';
import type { SymbolConfig } from './types.ts';

/**
 * Symbols the venue lists only in runs whose scenario trades them, so the default listing (and
 * everything pinned to it) stays BTCUSDT/ETHUSDT. Their filters are unusual on purpose.
 *
 * QTRUSDT: a synthetic contract with non-power-of-ten grids, tickSize 0.5 and stepSize 0.25, the
 * case where Decimal.quantize(step) is not a multiple of step
 * (003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with).
 */
export const EXTRA_SYMBOLS: readonly SymbolConfig[] = Object.freeze([
  {
    symbol: 'QTRUSDT',
    baseAsset: 'QTR',
    quoteAsset: 'USDT',
    tickSize: '0.5',
    stepSize: '0.25',
    minQty: '0.25',
    maxQty: '100000',
    marketMaxQty: '10000',
    minNotional: '5',
    pricePrecision: 1,
    quantityPrecision: 2,
  },
]);

/** What the venue lists for a run trading `symbol`: the defaults, plus the extra symbol if it is one. */
export function venueSymbols(symbol: string): readonly SymbolConfig[] {
  const extra = EXTRA_SYMBOLS.find((s) => s.symbol === symbol);
  return extra ? [...DEFAULT_SYMBOLS, extra] : DEFAULT_SYMBOLS;
}
