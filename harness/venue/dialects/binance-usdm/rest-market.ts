/** Public market-data endpoints: ping, time, exchangeInfo, bookTicker. */
import { HttpResponse, http, type RequestHandler } from 'msw';
import { fixed } from '../../engine/decimal.ts';
import type { SymbolConfig } from '../../types.ts';
import { type DialectContext, endpoint } from './endpoint.ts';
import { errors } from './errors.ts';
import { exchangeInfo } from './exchange-info.ts';
import { param } from './params.ts';

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
  ];
}
