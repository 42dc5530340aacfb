import { row } from './brackets.ts';
import { DEFAULT_SYMBOLS } from './default-symbols.ts';
import type { SymbolConfig } from './types.ts';

/**
 * Symbols the venue lists only in runs whose scenario trades them, so the default listing (and
 * everything pinned to it) stays BTCUSDT/ETHUSDT. Their filters are unusual on purpose.
 *
 * QTRUSDT: a synthetic contract with non-power-of-ten grids, tickSize 0.5 and stepSize 0.25, the
 * case where Decimal.quantize(step) is not a multiple of step
 * (003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with).
 *
 * DECUSDT: stepSize 0.1 (quantityPrecision 1), a step with no exact binary form: a quantity floored
 * in floats prints with noise (33 * 0.1 = 3.3000000000000003) and is refused -1111
 * (000_2ae31cbfe79758d1.txt#S-H2, 001_0474a2fd1532b929.txt#C7).
 *
 * TIERUSDT: a small contract whose leverage tiers bind early, like a newly listed altcoin on
 * Binance: at most 20x, and at the venue's default 20x a position of at most 500 USDT notional
 * (then 2,000 at 10x, 10,000 at 5x, ...). An order that would take the position beyond the cap at
 * the account's leverage is refused -2027, so a bot sizing from its own defaults instead of the
 * venue's brackets meets the cap (003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager).
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
  {
    symbol: 'DECUSDT',
    baseAsset: 'DEC',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.1',
    minQty: '0.1',
    maxQty: '100000',
    marketMaxQty: '10000',
    minNotional: '5',
    pricePrecision: 2,
    quantityPrecision: 1,
  },
  {
    symbol: 'TIERUSDT',
    baseAsset: 'TIER',
    quoteAsset: 'USDT',
    tickSize: '0.0001',
    stepSize: '1',
    minQty: '1',
    maxQty: '1000000',
    marketMaxQty: '200000',
    minNotional: '5',
    pricePrecision: 4,
    quantityPrecision: 0,
    brackets: Object.freeze([
      row(500, 0, 0.02, 20, 0),
      row(2_000, 500, 0.025, 10, 2.5),
      row(10_000, 2_000, 0.05, 5, 52.5),
      row(50_000, 10_000, 0.1, 3, 552.5),
      row(200_000, 50_000, 0.125, 2, 1_802.5),
      row(1_000_000, 200_000, 0.25, 1, 26_802.5),
    ]),
  },
]);

/** What the venue lists for a run trading `symbol`: the defaults, plus the extra symbol if it is one. */
export function venueSymbols(symbol: string): readonly SymbolConfig[] {
  const extra = EXTRA_SYMBOLS.find((s) => s.symbol === symbol);
  return extra ? [...DEFAULT_SYMBOLS, extra] : DEFAULT_SYMBOLS;
}
