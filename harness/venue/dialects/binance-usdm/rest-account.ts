/**
 * Account endpoints: GET /fapi/v3/account (single-asset mode, USDT) and GET /fapi/v2/positionRisk
 * (one-way mode: one BOTH row per symbol). Amounts are 8-decimal strings as on Binance.
 */
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { Account } from '../../engine/account.ts';
import { fixed } from '../../engine/decimal.ts';
import { accountOf, type DialectContext, endpoint } from './endpoint.ts';
import { breakEvenPrice } from './format.ts';
import { param } from './params.ts';
import { symbolOrThrow } from './rest-market.ts';

/** Maintenance margin rate of the first notional bracket (BTCUSDT: 0.4%), for display only. */
export const MAINT_MARGIN_RATE = 0.004;

const a8 = (n: number) => fixed(n, 8);

function accountJson(ctx: DialectContext, account: Account) {
  const v = ctx.engine.view(account);
  const now = ctx.engine.now();
  const maint = v.positions.reduce((sum, p) => sum + Math.abs(p.notional) * MAINT_MARGIN_RATE, 0);
  const initial = v.positionInitialMargin + v.openOrderInitialMargin;
  const available = Math.max(0, v.availableBalance);
  const withOrders = new Set(ctx.engine.openOrders(account).map((o) => o.symbol));
  return {
    totalInitialMargin: a8(initial),
    totalMaintMargin: a8(maint),
    totalWalletBalance: a8(v.walletBalance),
    totalUnrealizedProfit: a8(v.unrealizedPnl),
    totalMarginBalance: a8(v.marginBalance),
    totalPositionInitialMargin: a8(v.positionInitialMargin),
    totalOpenOrderInitialMargin: a8(v.openOrderInitialMargin),
    totalCrossWalletBalance: a8(v.walletBalance),
    totalCrossUnPnl: a8(v.unrealizedPnl),
    availableBalance: a8(available),
    maxWithdrawAmount: a8(available),
    assets: [
      {
        asset: 'USDT',
        walletBalance: a8(v.walletBalance),
        unrealizedProfit: a8(v.unrealizedPnl),
        marginBalance: a8(v.marginBalance),
        maintMargin: a8(maint),
        initialMargin: a8(initial),
        positionInitialMargin: a8(v.positionInitialMargin),
        openOrderInitialMargin: a8(v.openOrderInitialMargin),
        crossWalletBalance: a8(v.walletBalance),
        crossUnPnl: a8(v.unrealizedPnl),
        availableBalance: a8(available),
        maxWithdrawAmount: a8(available),
        updateTime: now,
      },
    ],
    // Binance lists only symbols with a position or open orders.
    positions: v.positions
      .filter((p) => p.qty !== 0 || withOrders.has(p.symbol))
      .map((p) => ({
        symbol: p.symbol,
        positionSide: 'BOTH',
        positionAmt: fixed(p.qty, ctx.engine.decimals(p.symbol).qty),
        unrealizedProfit: a8(p.unrealizedPnl),
        isolatedMargin: '0',
        notional: a8(p.notional),
        isolatedWallet: '0',
        initialMargin: a8(p.initialMargin),
        maintMargin: a8(Math.abs(p.notional) * MAINT_MARGIN_RATE),
        updateTime: p.updateTime,
      })),
  };
}

function positionRiskRow(ctx: DialectContext, account: Account, symbol: string) {
  const p = ctx.engine.view(account).positions.find((x) => x.symbol === symbol);
  const mark = ctx.engine.books.get(symbol)?.mid ?? 0;
  const qty = p?.qty ?? 0;
  return {
    symbol,
    positionAmt: fixed(qty, ctx.engine.decimals(symbol).qty),
    entryPrice: a8(p?.entryPrice ?? 0),
    breakEvenPrice: a8(p ? breakEvenPrice(p.qty, p.entryPrice) : 0),
    markPrice: a8(mark),
    unRealizedProfit: a8(p?.unrealizedPnl ?? 0),
    liquidationPrice: '0',
    leverage: String(ctx.engine.leverage),
    maxNotionalValue: '80000000',
    marginType: 'cross',
    isolatedMargin: '0.00000000',
    isAutoAddMargin: 'false',
    positionSide: 'BOTH',
    notional: a8(qty * mark),
    isolatedWallet: '0',
    updateTime: p?.updateTime ?? 0,
  };
}

export function accountHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    http.get(
      '*/fapi/v3/account',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => HttpResponse.json(accountJson(ctx, accountOf(call)))),
    ),
    http.get(
      '*/fapi/v2/positionRisk',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => {
        const symbol = param(call.params, 'symbol');
        const symbols = symbol !== undefined ? [symbolOrThrow(ctx, symbol).symbol] : [...ctx.engine.symbols.keys()];
        return HttpResponse.json(symbols.map((s) => positionRiskRow(ctx, accountOf(call), s)));
      }),
    ),
  ];
}
