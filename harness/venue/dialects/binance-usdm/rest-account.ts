/**
 * Account endpoints (single-asset mode, USDT, cross margin): GET /fapi/v2 and v3 account, v2 and
 * v3 balance, v2 positionRisk (a row per symbol and position side), v3 positionRisk (rows with a
 * position or open orders only), and /fapi/v1/leverageBracket. Amounts are 8-decimal strings as
 * on Binance. Position rows follow the account's mode (Binance "Position Information V2/V3": one
 * BOTH row per symbol in one-way mode, a LONG and a SHORT row in hedge mode).
 */

import type { RequestHandler } from 'msw';
import { bracketFor, bracketsOf, maxNotional } from '../../brackets.ts';
import { type Account, type PositionSide, positionsOf } from '../../engine/account.ts';
import { fixed } from '../../engine/decimal.ts';
import type { AccountView, PositionView } from '../../engine/margin.ts';
import { noteEquity } from '../../request-context.ts';
import { accountOf, type DialectContext, endpoint } from './endpoint.ts';
import { breakEvenPrice } from './format.ts';
import { param } from './params.ts';
import { jsonReply } from './reply.ts';
import { symbolOrThrow } from './rest-market.ts';
import { route } from './routes.ts';
import { sideNotional } from './ws-user.ts';

/** Maintenance margin rate of the first notional bracket (BTCUSDT: 0.4%), for display only. */
export const MAINT_MARGIN_RATE = 0.004;

const a8 = (n: number) => fixed(n, 8);

/** `symbol:positionSide` of every position that has open orders (Binance lists those even when flat). */
function sidesWithOrders(ctx: DialectContext, account: Account): Set<string> {
  return new Set(ctx.engine.openOrders(account).map((o) => `${o.symbol}:${o.positionSide}`));
}

/** The position sides the account's mode reports for a symbol. */
function sidesOf(account: Account, symbol: string): PositionSide[] {
  return positionsOf(account, symbol).map(([side]) => side);
}

function accountJson(ctx: DialectContext, account: Account) {
  const v = ctx.engine.view(account);
  const now = ctx.engine.now();
  const maint = v.positions.reduce((sum, p) => sum + Math.abs(p.notional) * MAINT_MARGIN_RATE, 0);
  const initial = v.positionInitialMargin + v.openOrderInitialMargin;
  const available = Math.max(0, v.availableBalance);
  const withOrders = sidesWithOrders(ctx, account);
  return {
    totalInitialMargin: a8(initial),
    totalMaintMargin: a8(maint),
    totalWalletBalance: a8(v.walletBalance),
    totalUnrealizedProfit: a8(v.unrealizedPnl),
    totalMarginBalance: a8(v.marginBalance),
    totalPositionInitialMargin: a8(v.positionInitialMargin),
    totalOpenOrderInitialMargin: a8(v.openOrderInitialMargin),
    totalCrossWalletBalance: a8(v.crossWalletBalance),
    totalCrossUnPnl: a8(v.crossUnPnl),
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
        crossWalletBalance: a8(v.crossWalletBalance),
        crossUnPnl: a8(v.crossUnPnl),
        availableBalance: a8(available),
        maxWithdrawAmount: a8(available),
        updateTime: now,
      },
      ...[...account.dust].map(([asset, amount]) => ({
        asset,
        walletBalance: a8(amount),
        unrealizedProfit: a8(0),
        marginBalance: a8(amount),
        maintMargin: a8(0),
        initialMargin: a8(0),
        positionInitialMargin: a8(0),
        openOrderInitialMargin: a8(0),
        crossWalletBalance: a8(amount),
        crossUnPnl: a8(0),
        availableBalance: a8(0),
        maxWithdrawAmount: a8(amount),
        updateTime: now,
      })),
    ],
    // Binance lists only symbols with a position or open orders.
    positions: v.positions
      .filter((p) => p.qty !== 0 || withOrders.has(`${p.symbol}:${p.positionSide}`))
      .map((p) => ({
        symbol: p.symbol,
        positionSide: p.positionSide,
        positionAmt: fixed(p.qty, ctx.engine.decimals(p.symbol).qty),
        unrealizedProfit: a8(p.unrealizedPnl),
        isolatedMargin: a8(p.isolated ? p.isolatedWallet + p.unrealizedPnl : 0),
        notional: a8(p.notional),
        isolatedWallet: a8(p.isolatedWallet),
        initialMargin: a8(p.initialMargin),
        maintMargin: a8(Math.abs(p.notional) * MAINT_MARGIN_RATE),
        updateTime: p.updateTime,
      })),
  };
}

/** USDT rows of GET /fapi/v2/balance and /fapi/v3/balance. */
function balanceRows(ctx: DialectContext, account: Account) {
  const v = ctx.engine.view(account);
  noteEquity(Number(a8(v.walletBalance + v.crossUnPnl)));
  const available = Math.max(0, v.availableBalance);
  return [
    {
      accountAlias: 'SgsRmYFzTiXq',
      asset: 'USDT',
      balance: a8(v.walletBalance),
      crossWalletBalance: a8(v.crossWalletBalance),
      crossUnPnl: a8(v.crossUnPnl),
      availableBalance: a8(available),
      maxWithdrawAmount: a8(available),
      marginAvailable: true,
      updateTime: ctx.engine.now(),
    },
    // Other assets of the wallet (dust): listed, not margin in single-asset mode.
    ...[...account.dust].map(([asset, amount]) => ({
      accountAlias: 'SgsRmYFzTiXq',
      asset,
      balance: a8(amount),
      crossWalletBalance: a8(amount),
      crossUnPnl: a8(0),
      availableBalance: a8(0),
      maxWithdrawAmount: a8(amount),
      marginAvailable: account.multiAssets,
      updateTime: ctx.engine.now(),
    })),
  ];
}

/** GET /fapi/v2/account: the v3 body plus account flags, asset flags and a row for every symbol. */
function accountV2Json(ctx: DialectContext, account: Account) {
  const v3 = accountJson(ctx, account);
  const v = ctx.engine.view(account);
  return {
    feeTier: 0,
    feeBurn: false,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    multiAssetsMargin: account.multiAssets,
    tradeGroupId: -1,
    ...v3,
    assets: v3.assets.map((a) => ({ ...a, marginAvailable: a.asset === 'USDT' || account.multiAssets })),
    positions: [...ctx.engine.symbols.keys()].flatMap((symbol) =>
      sidesOf(account, symbol).map((positionSide) => {
        const p = v.positions.find((x) => x.symbol === symbol && x.positionSide === positionSide);
        const side = sideNotional(ctx, account, symbol, positionSide);
        const qty = p?.qty ?? 0;
        return {
          symbol,
          initialMargin: a8(p?.initialMargin ?? 0),
          maintMargin: a8(Math.abs(p?.notional ?? 0) * MAINT_MARGIN_RATE),
          unrealizedProfit: a8(p?.unrealizedPnl ?? 0),
          positionInitialMargin: a8(p?.initialMargin ?? 0),
          openOrderInitialMargin: '0',
          leverage: String(ctx.engine.leverageOf(account, symbol)),
          isolated: account.isolated.has(symbol),
          entryPrice: a8(p?.entryPrice ?? 0),
          breakEvenPrice: a8(p ? breakEvenPrice(qty, p.entryPrice) : 0),
          maxNotional: String(maxNotionalOf(ctx, account, symbol)),
          bidNotional: a8(side.b),
          askNotional: a8(side.a),
          positionSide,
          positionAmt: fixed(qty, ctx.engine.decimals(symbol).qty),
          updateTime: p?.updateTime ?? 0,
        };
      }),
    ),
  };
}

/** GET /fapi/v3/positionRisk row. */
function positionRiskV3Row(ctx: DialectContext, account: Account, symbol: string, positionSide: PositionSide) {
  const v = ctx.engine.view(account);
  const p = v.positions.find((x) => x.symbol === symbol && x.positionSide === positionSide);
  const mark = ctx.engine.books.get(symbol)?.mid ?? 0;
  const qty = p?.qty ?? 0;
  const side = sideNotional(ctx, account, symbol, positionSide);
  const im = Math.abs(qty * mark) / ctx.engine.leverageOf(account, symbol);
  return {
    symbol,
    positionSide,
    positionAmt: fixed(qty, ctx.engine.decimals(symbol).qty),
    entryPrice: a8(p?.entryPrice ?? 0),
    breakEvenPrice: a8(p ? breakEvenPrice(qty, p.entryPrice) : 0),
    markPrice: a8(mark),
    unRealizedProfit: a8(p?.unrealizedPnl ?? 0),
    liquidationPrice: a8(p ? liquidationPrice(ctx, v, p) : 0),
    isolatedMargin: a8(p?.isolated ? p.isolatedWallet + p.unrealizedPnl : 0),
    notional: a8(qty * mark),
    marginAsset: 'USDT',
    isolatedWallet: a8(p?.isolatedWallet ?? 0),
    initialMargin: a8(im),
    maintMargin: a8(Math.abs(qty * mark) * MAINT_MARGIN_RATE),
    positionInitialMargin: a8(im),
    openOrderInitialMargin: '0',
    adl: 0,
    bidNotional: a8(side.b),
    askNotional: a8(side.a),
    updateTime: p?.updateTime ?? 0,
  };
}

/** The bracket a position's notional falls in: its maintenance rate and maintenance amount. */
function bracketOf(ctx: DialectContext, symbol: string, notional: number): { mmr: number; cum: number } {
  const b = bracketFor(bracketsOf(ctx.engine.symbols.get(symbol)), notional);
  return { mmr: b?.mmr ?? MAINT_MARGIN_RATE, cum: b?.cum ?? 0 };
}

/**
 * Binance's liquidation price of one position (USDⓈ-M "liquidation price" formula):
 *   LP = (WB - TMM1 + UPNL1 + cumB - Side * |Pos| * EP) / (|Pos| * MMR - Side * |Pos|)
 * Isolated: WB is the position's isolated wallet and TMM1 = UPNL1 = 0. Cross: WB is the cross
 * wallet, TMM1 and UPNL1 the maintenance margin and PnL of the other cross positions. 0 when flat
 * or when no price liquidates it.
 */
export function liquidationPrice(ctx: DialectContext, v: AccountView, p: PositionView): number {
  if (p.qty === 0) return 0;
  const q = Math.abs(p.qty);
  const side = Math.sign(p.qty);
  const { mmr, cum } = bracketOf(ctx, p.symbol, p.notional);
  let wb = p.isolatedWallet;
  let otherMaint = 0;
  let otherPnl = 0;
  if (!p.isolated) {
    wb = v.crossWalletBalance;
    for (const o of v.positions) {
      if (o === p || o.isolated) continue;
      otherMaint += Math.abs(o.notional) * bracketOf(ctx, o.symbol, o.notional).mmr;
      otherPnl += o.unrealizedPnl;
    }
  }
  const lp = (wb - otherMaint + otherPnl + cum - side * q * p.entryPrice) / (q * mmr - side * q);
  return Number.isFinite(lp) && lp > 0 ? lp : 0;
}

/** The largest position notional an account's leverage on a symbol allows (Binance maxNotionalValue). */
export function maxNotionalOf(ctx: DialectContext, account: Account, symbol: string): number {
  return maxNotional(bracketsOf(ctx.engine.symbols.get(symbol)), ctx.engine.leverageOf(account, symbol));
}

function leverageBracket(ctx: DialectContext, symbol: string) {
  return {
    symbol,
    notionalCoef: 1.0,
    brackets: bracketsOf(ctx.engine.symbols.get(symbol)).map((b, i) => ({
      bracket: i + 1,
      initialLeverage: b.leverage,
      notionalCap: b.cap,
      notionalFloor: b.floor,
      maintMarginRatio: b.mmr,
      cum: b.cum,
    })),
  };
}

function positionRiskRow(ctx: DialectContext, account: Account, symbol: string, positionSide: PositionSide) {
  const v = ctx.engine.view(account);
  const p = v.positions.find((x) => x.symbol === symbol && x.positionSide === positionSide);
  const mark = ctx.engine.books.get(symbol)?.mid ?? 0;
  const qty = p?.qty ?? 0;
  return {
    symbol,
    positionAmt: fixed(qty, ctx.engine.decimals(symbol).qty),
    entryPrice: a8(p?.entryPrice ?? 0),
    breakEvenPrice: a8(p ? breakEvenPrice(p.qty, p.entryPrice) : 0),
    markPrice: a8(mark),
    unRealizedProfit: a8(p?.unrealizedPnl ?? 0),
    liquidationPrice: a8(p ? liquidationPrice(ctx, v, p) : 0),
    leverage: String(ctx.engine.leverageOf(account, symbol)),
    maxNotionalValue: String(maxNotionalOf(ctx, account, symbol)),
    marginType: account.isolated.has(symbol) ? 'isolated' : 'cross',
    isolatedMargin: a8(p?.isolated ? p.isolatedWallet + p.unrealizedPnl : 0),
    isAutoAddMargin: 'false',
    positionSide,
    notional: a8(qty * mark),
    isolatedWallet: a8(p?.isolatedWallet ?? 0),
    updateTime: p?.updateTime ?? 0,
  };
}

export function accountHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    route.get(
      '*/fapi/v3/account',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => jsonReply(accountJson(ctx, accountOf(call)))),
    ),
    route.get(
      '*/fapi/v2/account',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => jsonReply(accountV2Json(ctx, accountOf(call)))),
    ),
    ...['*/fapi/v2/balance', '*/fapi/v3/balance'].map((path) =>
      route.get(
        path,
        endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => jsonReply(balanceRows(ctx, accountOf(call)))),
      ),
    ),
    route.get(
      '*/fapi/v3/positionRisk',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => {
        const account = accountOf(call);
        const symbol = param(call.params, 'symbol');
        const symbols = symbol !== undefined ? [symbolOrThrow(ctx, symbol).symbol] : [...ctx.engine.symbols.keys()];
        const withOrders = sidesWithOrders(ctx, account);
        // v3 lists only positions with a quantity or open orders.
        const active = symbols.flatMap((s) =>
          sidesOf(account, s)
            .filter((side) => ctx.engine.position(account.instance, s, side) !== 0 || withOrders.has(`${s}:${side}`))
            .map((side) => [s, side] as const),
        );
        return jsonReply(active.map(([s, side]) => positionRiskV3Row(ctx, account, s, side)));
      }),
    ),
    route.get(
      '*/fapi/v1/leverageBracket',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => {
        const symbol = param(call.params, 'symbol');
        if (symbol !== undefined) return jsonReply(leverageBracket(ctx, symbolOrThrow(ctx, symbol).symbol));
        return jsonReply([...ctx.engine.symbols.keys()].map((s) => leverageBracket(ctx, s)));
      }),
    ),
    route.get(
      '*/fapi/v2/positionRisk',
      endpoint(ctx, { security: 'SIGNED', weight: 5 }, (call) => {
        const symbol = param(call.params, 'symbol');
        const symbols = symbol !== undefined ? [symbolOrThrow(ctx, symbol).symbol] : [...ctx.engine.symbols.keys()];
        const account = accountOf(call);
        return jsonReply(symbols.flatMap((s) => sidesOf(account, s).map((side) => positionRiskRow(ctx, account, s, side))));
      }),
    ),
  ];
}
