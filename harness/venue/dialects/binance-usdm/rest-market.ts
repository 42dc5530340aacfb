/** Public market-data endpoints: ping, time, exchangeInfo, depth, klines, bookTicker, ticker/price, ticker/24hr, premiumIndex. */

import type { JsonBodyType, RequestHandler } from 'msw';
import { fixed } from '../../engine/decimal.ts';
import { bucketClose, type Candle, isInterval } from '../../engine/tape.ts';
import type { SymbolConfig } from '../../types.ts';
import { type DialectContext, endpoint } from './endpoint.ts';
import { errors } from './errors.ts';
import { exchangeInfo } from './exchange-info.ts';
import { intParam, param, type RequestParams } from './params.ts';
import { jsonReply, type VenueReply } from './reply.ts';
import { route } from './routes.ts';
import { ticker24hr } from './ticker.ts';

export function symbolOrThrow(ctx: DialectContext, symbol: string): SymbolConfig {
  const cfg = ctx.engine.symbols.get(symbol);
  if (!cfg) throw errors.invalidSymbol();
  return cfg;
}

function bookTicker(ctx: DialectContext, cfg: SymbolConfig) {
  const top = ctx.engine.books.get(cfg.symbol);
  const d = ctx.engine.decimals(cfg.symbol);
  return {
    symbol: cfg.symbol,
    bidPrice: top ? fixed(top.bid, d.price) : '0',
    bidQty: top ? fixed(top.bidQty, d.qty) : '0',
    askPrice: top ? fixed(top.ask, d.price) : '0',
    askQty: top ? fixed(top.askQty, d.qty) : '0',
    time: ctx.engine.now(),
    lastUpdateId: ctx.bookIds.get(cfg.symbol) ?? 0,
  };
}

const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];

function depthWeight(limit: number): number {
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

function depthLimit(text: string | undefined): number {
  if (text === undefined) return 500;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !DEPTH_LIMITS.includes(n)) throw errors.invalidParam('limit');
  return n;
}

/** One symbol, or every symbol when `symbol` is absent (Binance's "all symbols" form). */
function oneOrAll(ctx: DialectContext, symbol: string | undefined, f: (cfg: SymbolConfig) => JsonBodyType): VenueReply {
  if (symbol !== undefined) return jsonReply(f(symbolOrThrow(ctx, symbol)));
  return jsonReply([...ctx.engine.symbols.values()].map(f));
}

/** Klines weight by limit (Binance: [1,100) 1, [100,500) 2, [500,1000] 5, > 1000 10). */
function klinesWeight(p: RequestParams): number {
  const limit = Number(param(p, 'limit') ?? 500);
  return !(limit >= 100) ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

export const MAX_KLINES = 1500;

/**
 * GET /fapi/v1/klines from the venue's tape (one-minute candles built from ticks, aggregated to
 * the interval). Binance's selection: candles whose open time is in [startTime, endTime]; the
 * first `limit` of them when startTime is sent, else the latest `limit`; limit 1..1500, default 500.
 */
function klines(ctx: DialectContext, params: RequestParams): VenueReply {
  const symbolText = param(params, 'symbol');
  if (symbolText === undefined) throw errors.mandatory('symbol');
  const interval = param(params, 'interval');
  if (interval === undefined) throw errors.mandatory('interval');
  const cfg = symbolOrThrow(ctx, symbolText);
  if (!isInterval(interval)) throw errors.invalidInterval();
  const start = intParam(params, 'startTime');
  const end = intParam(params, 'endTime');
  const limit = intParam(params, 'limit') ?? 500;
  if (limit < 1 || limit > MAX_KLINES) throw errors.invalidParam('limit');
  if (start !== undefined && end !== undefined && start > end) throw errors.startAfterEnd();
  const rows = ctx.tape.klines(cfg.symbol, interval, start ?? 0, end ?? Number.MAX_SAFE_INTEGER, limit, start !== undefined);
  const d = ctx.engine.decimals(cfg.symbol);
  return jsonReply(rows.map((c) => klineRow(c, interval, d)));
}

export function klineRow(c: Candle, interval: string, d: { price: number; qty: number }) {
  const quote = d.price + d.qty;
  return [
    c.openTime,
    fixed(c.open, d.price),
    fixed(c.high, d.price),
    fixed(c.low, d.price),
    fixed(c.close, d.price),
    fixed(c.volume, d.qty),
    bucketClose(interval, c.openTime),
    fixed(c.quoteVolume, quote),
    c.trades,
    fixed(c.takerBuyVolume, d.qty),
    fixed(c.takerBuyQuote, quote),
    '0',
  ];
}

export function marketHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    route.get(
      '*/fapi/v1/klines',
      endpoint(ctx, { security: 'NONE', weight: klinesWeight }, ({ params }) => klines(ctx, params)),
    ),
    route.get(
      '*/fapi/v1/ping',
      endpoint(ctx, { security: 'NONE', weight: 1 }, () => jsonReply({})),
    ),
    route.get(
      '*/fapi/v1/time',
      endpoint(ctx, { security: 'NONE', weight: 1 }, () => jsonReply({ serverTime: ctx.engine.now() })),
    ),
    route.get(
      '*/fapi/v1/exchangeInfo',
      endpoint(ctx, { security: 'NONE', weight: 1 }, () => jsonReply(exchangeInfo(ctx.engine.symbols.values(), ctx.engine.now(), ctx.usage.advertised()))),
    ),
    route.get(
      '*/fapi/v1/ticker/bookTicker',
      endpoint(ctx, { security: 'NONE', weight: (p) => (param(p, 'symbol') ? 2 : 5) }, ({ params }) => {
        const symbol = param(params, 'symbol');
        if (symbol !== undefined) return jsonReply(bookTicker(ctx, symbolOrThrow(ctx, symbol)));
        return jsonReply([...ctx.engine.symbols.values()].map((cfg) => bookTicker(ctx, cfg)));
      }),
    ),
    route.get(
      '*/fapi/v1/ticker/24hr',
      endpoint(ctx, { security: 'NONE', weight: (p) => (param(p, 'symbol') ? 1 : 40) }, ({ params }) =>
        oneOrAll(ctx, param(params, 'symbol'), (cfg) => ticker24hr(ctx, cfg.symbol)),
      ),
    ),
    ...['*/fapi/v1/ticker/price', '*/fapi/v2/ticker/price'].map((path) =>
      route.get(
        path,
        endpoint(ctx, { security: 'NONE', weight: (p) => (param(p, 'symbol') ? 1 : 2) }, ({ params }) =>
          oneOrAll(ctx, param(params, 'symbol'), (cfg) => ({
            symbol: cfg.symbol,
            price: fixed(ctx.stats.get(cfg.symbol)?.last ?? 0, ctx.engine.decimals(cfg.symbol).price),
            time: ctx.engine.now(),
          })),
        ),
      ),
    ),
    route.get(
      '*/fapi/v1/premiumIndex',
      endpoint(ctx, { security: 'NONE', weight: 1 }, ({ params }) =>
        oneOrAll(ctx, param(params, 'symbol'), (cfg) => {
          const mark = ctx.engine.books.get(cfg.symbol)?.mid ?? 0;
          const now = ctx.engine.now();
          return {
            symbol: cfg.symbol,
            markPrice: fixed(mark, 8),
            indexPrice: fixed(mark, 8),
            estimatedSettlePrice: fixed(mark, 8),
            lastFundingRate: fixed(ctx.engine.funding.rate, 8),
            interestRate: '0.00010000',
            nextFundingTime: ctx.engine.nextFundingTime(),
            time: now,
          };
        }),
      ),
    ),
    route.get(
      '*/fapi/v1/depth',
      endpoint(ctx, { security: 'NONE', weight: (p) => depthWeight(Number(param(p, 'limit') ?? 500)) }, ({ params }) => {
        const symbolText = param(params, 'symbol');
        if (symbolText === undefined) throw errors.mandatory('symbol');
        const cfg = symbolOrThrow(ctx, symbolText);
        depthLimit(param(params, 'limit'));
        const top = ctx.engine.books.get(cfg.symbol);
        const d = ctx.engine.decimals(cfg.symbol);
        const now = ctx.engine.now();
        // The simulated book is its top level (infinitely deep at the touch).
        return jsonReply({
          lastUpdateId: ctx.bookIds.get(cfg.symbol) ?? 0,
          E: now,
          T: now,
          bids: top ? [[fixed(top.bid, d.price), fixed(top.bidQty, d.qty)]] : [],
          asks: top ? [[fixed(top.ask, d.price), fixed(top.askQty, d.qty)]] : [],
        });
      }),
    ),
  ];
}
