/** Public market-data endpoints: ping, time, exchangeInfo, depth, bookTicker, ticker/price, ticker/24hr, premiumIndex. */
import { HttpResponse, http, type JsonBodyType, type RequestHandler } from 'msw';
import { fixed } from '../../engine/decimal.ts';
import type { SymbolConfig } from '../../types.ts';
import { type DialectContext, endpoint } from './endpoint.ts';
import { errors } from './errors.ts';
import { exchangeInfo } from './exchange-info.ts';
import { param } from './params.ts';
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
function oneOrAll(ctx: DialectContext, symbol: string | undefined, f: (cfg: SymbolConfig) => JsonBodyType): Response {
  if (symbol !== undefined) return HttpResponse.json(f(symbolOrThrow(ctx, symbol)));
  return HttpResponse.json([...ctx.engine.symbols.values()].map(f));
}

export function marketHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    http.get(
      '*/fapi/v1/ping',
      endpoint(ctx, { security: 'NONE', weight: 1 }, () => HttpResponse.json({})),
    ),
    http.get(
      '*/fapi/v1/time',
      endpoint(ctx, { security: 'NONE', weight: 1 }, () => HttpResponse.json({ serverTime: ctx.engine.now() })),
    ),
    http.get(
      '*/fapi/v1/exchangeInfo',
      endpoint(ctx, { security: 'NONE', weight: 1 }, () => HttpResponse.json(exchangeInfo(ctx.engine.symbols.values(), ctx.engine.now()))),
    ),
    http.get(
      '*/fapi/v1/ticker/bookTicker',
      endpoint(ctx, { security: 'NONE', weight: (p) => (param(p, 'symbol') ? 2 : 5) }, ({ params }) => {
        const symbol = param(params, 'symbol');
        if (symbol !== undefined) return HttpResponse.json(bookTicker(ctx, symbolOrThrow(ctx, symbol)));
        return HttpResponse.json([...ctx.engine.symbols.values()].map((cfg) => bookTicker(ctx, cfg)));
      }),
    ),
    http.get(
      '*/fapi/v1/ticker/24hr',
      endpoint(ctx, { security: 'NONE', weight: (p) => (param(p, 'symbol') ? 1 : 40) }, ({ params }) =>
        oneOrAll(ctx, param(params, 'symbol'), (cfg) => ticker24hr(ctx, cfg.symbol)),
      ),
    ),
    ...['*/fapi/v1/ticker/price', '*/fapi/v2/ticker/price'].map((path) =>
      http.get(
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
    http.get(
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
            lastFundingRate: '0.00010000',
            interestRate: '0.00010000',
            // Funding every 8 hours at 00:00, 08:00, 16:00 UTC.
            nextFundingTime: (Math.floor(now / 28_800_000) + 1) * 28_800_000,
            time: now,
          };
        }),
      ),
    ),
    http.get(
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
        return HttpResponse.json({
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
