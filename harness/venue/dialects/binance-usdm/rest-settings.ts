/**
 * Account settings: POST /fapi/v1/leverage, POST /fapi/v1/marginType, GET/POST
 * /fapi/v1/positionSide/dual and GET/POST /fapi/v1/multiAssetsMargin, with Binance's answers.
 *
 * - Leverage is per account and symbol and is what the margin check uses. A change the position
 *   cannot bear is refused (-2027 over the bracket's max notional, -2028 margin short), and the
 *   user stream gets ACCOUNT_CONFIG_UPDATE {"ac":{"s","l"}}.
 * - Margin type: ISOLATED gives the symbol's positions their own margin (engine/margin.ts: the
 *   isolated wallet leaves the cross wallet; positionRisk isolatedWallet / isolatedMargin /
 *   liquidationPrice, account `isolated`, ACCOUNT_UPDATE `mt` / `iw`). -4046 when unchanged,
 *   -4047 / -4048 with open orders / a position, -4168 under multi-assets mode.
 * - Position mode (Binance "Change Position Mode"): dualSidePosition=true is hedge mode (a LONG
 *   and a SHORT position per symbol), false one-way. -4059 when already in that mode, then -4067 /
 *   -4068 when the account has open orders / an open position (on any symbol); GET answers the
 *   mode. Binance sends no user-stream event for it; the history gets account.positionMode.
 * - Multi-assets mode is a flag (USDT is the only margin asset, so balances do not change);
 *   -4171 when unchanged, -4167 with an isolated symbol; the user stream gets
 *   ACCOUNT_CONFIG_UPDATE {"ai":{"j"}}.
 */

import type { RequestHandler } from 'msw';
import { bracketsOf, maxLeverage, maxNotional } from '../../brackets.ts';
import { type Account, hasOpenPosition, positionsOf } from '../../engine/account.ts';
import { accountOf, type Call, type DialectContext, endpoint } from './endpoint.ts';
import { BinanceError, errors } from './errors.ts';
import { param } from './params.ts';
import { jsonReply, type VenueReply } from './reply.ts';
import { symbolOrThrow } from './rest-market.ts';
import { route } from './routes.ts';

const bad = (code: number, msg: string) => new BinanceError(400, code, msg);
const SUCCESS = { code: 200, msg: 'success' };

function mandatory(call: Call, name: string): string {
  const v = param(call.params, name);
  if (v === undefined) throw errors.mandatory(name);
  return v;
}

function boolValue(call: Call, name: string): boolean {
  const v = mandatory(call, name).toLowerCase();
  if (v !== 'true' && v !== 'false') throw errors.invalidParam(name);
  return v === 'true';
}

function hasOrders(ctx: DialectContext, account: Account, symbol?: string): boolean {
  return ctx.engine.openOrders(account, symbol).length > 0;
}

function changeLeverage(ctx: DialectContext, call: Call): VenueReply {
  const account = accountOf(call);
  const { symbol } = symbolOrThrow(ctx, mandatory(call, 'symbol'));
  const text = mandatory(call, 'leverage');
  const leverage = Number(text);
  const brackets = bracketsOf(ctx.engine.symbols.get(symbol));
  if (!/^\d{1,4}$/.test(text) || leverage < 1 || leverage > maxLeverage(brackets)) throw bad(-4028, `Leverage ${text} is not valid`);
  const cap = maxNotional(brackets, leverage);
  const mark = ctx.engine.books.get(symbol)?.mid ?? 0;
  // Hedge mode: the leverage covers both legs of the symbol.
  const size = positionsOf(account, symbol).reduce((sum, [, p]) => sum + Math.abs(p.qty), 0);
  if (size * mark > cap) throw bad(-2027, 'Exceeded the maximum allowable position at current leverage.');
  const before = ctx.engine.leverageOf(account, symbol);
  ctx.engine.setLeverage(account, symbol, leverage);
  if (leverage < before && ctx.engine.view(account).availableBalance < 0) {
    ctx.engine.setLeverage(account, symbol, before);
    throw bad(-2028, 'Leverage is smaller than permitted: insufficient margin balance.');
  }
  const now = ctx.engine.now();
  ctx.recorder.record('venue', 'account.leverage', { symbol, leverage }, account.instance);
  ctx.publishUser(account.instance, { e: 'ACCOUNT_CONFIG_UPDATE', E: now, T: now, ac: { s: symbol, l: leverage } });
  return jsonReply({ leverage, maxNotionalValue: String(cap), symbol });
}

function changeMarginType(ctx: DialectContext, call: Call): VenueReply {
  const account = accountOf(call);
  const { symbol } = symbolOrThrow(ctx, mandatory(call, 'symbol'));
  const type = mandatory(call, 'marginType').toUpperCase();
  if (type !== 'ISOLATED' && type !== 'CROSSED') throw errors.invalidParam('marginType');
  const isolated = type === 'ISOLATED';
  if (account.isolated.has(symbol) === isolated) throw bad(-4046, 'No need to change margin type.');
  if (isolated && account.multiAssets) throw bad(-4168, 'Unable to adjust to isolated-margin mode under the Multi-Assets mode.');
  if (hasOrders(ctx, account, symbol)) throw bad(-4047, 'Margin type cannot be changed if there exists open orders.');
  if (hasOpenPosition(account, symbol)) throw bad(-4048, 'Margin type cannot be changed if there exists position.');
  if (isolated) account.isolated.add(symbol);
  else account.isolated.delete(symbol);
  ctx.recorder.record('venue', 'account.marginType', { symbol, marginType: type }, account.instance);
  return jsonReply(SUCCESS);
}

function changePositionMode(ctx: DialectContext, call: Call): VenueReply {
  const account = accountOf(call);
  const dual = boolValue(call, 'dualSidePosition');
  if (dual === account.dualSide) throw bad(-4059, 'No need to change position side.');
  if (hasOrders(ctx, account)) throw bad(-4067, 'Position side cannot be changed if there exists open orders.');
  if (hasOpenPosition(account)) throw bad(-4068, 'Position side cannot be changed if there exists position.');
  ctx.engine.setDualSide(account, dual);
  ctx.recorder.record('venue', 'account.positionMode', { dualSidePosition: dual }, account.instance);
  return jsonReply(SUCCESS);
}

function changeMultiAssets(ctx: DialectContext, call: Call): VenueReply {
  const account = accountOf(call);
  const on = boolValue(call, 'multiAssetsMargin');
  if (account.multiAssets === on) throw bad(-4171, 'Adjusted asset mode is currently set and does not need to be adjusted repeatedly.');
  if (on && account.isolated.size > 0) throw bad(-4167, 'Unable to adjust to Multi-Assets mode with symbols of USDⓈ-M Futures under isolated-margin mode.');
  account.multiAssets = on;
  const now = ctx.engine.now();
  ctx.recorder.record('venue', 'account.multiAssetsMargin', { multiAssetsMargin: on }, account.instance);
  ctx.publishUser(account.instance, { e: 'ACCOUNT_CONFIG_UPDATE', E: now, T: now, ai: { j: on } });
  return jsonReply(SUCCESS);
}

export function settingsHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    route.post(
      '*/fapi/v1/leverage',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => changeLeverage(ctx, call)),
    ),
    route.post(
      '*/fapi/v1/marginType',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => changeMarginType(ctx, call)),
    ),
    route.get(
      '*/fapi/v1/positionSide/dual',
      endpoint(ctx, { security: 'SIGNED', weight: 30 }, (call) => jsonReply({ dualSidePosition: accountOf(call).dualSide })),
    ),
    route.post(
      '*/fapi/v1/positionSide/dual',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => changePositionMode(ctx, call)),
    ),
    route.get(
      '*/fapi/v1/multiAssetsMargin',
      endpoint(ctx, { security: 'SIGNED', weight: 30 }, (call) => jsonReply({ multiAssetsMargin: accountOf(call).multiAssets })),
    ),
    route.post(
      '*/fapi/v1/multiAssetsMargin',
      endpoint(ctx, { security: 'SIGNED', weight: 1 }, (call) => changeMultiAssets(ctx, call)),
    ),
  ];
}
