/**
 * GET /fapi/v1/income: the account's income history, derived from what the engine did: the
 * initial deposit (TRANSFER, at venue start), and for every execution its COMMISSION (negative)
 * and, when it closed something, its REALIZED_PNL; and every FUNDING_FEE paid or received on an
 * open position at a funding time. The incomes of an account add up to its wallet balance.
 *
 * Binance's selection rules: symbol and incomeType optional; neither startTime nor endTime means
 * the last 7 days; oldest first; limit 1..1000 (default 100); page (from 1) pages through them.
 */

import type { RequestHandler } from 'msw';
import type { Account } from '../../engine/account.ts';
import { fixed } from '../../engine/decimal.ts';
import { noteListPage } from '../../request-context.ts';
import { accountOf, type Call, type DialectContext, endpoint } from './endpoint.ts';
import { errors } from './errors.ts';
import { intParam, param } from './params.ts';
import { jsonReply, type VenueReply } from './reply.ts';
import { symbolOrThrow } from './rest-market.ts';
import { route } from './routes.ts';

/** Every incomeType Binance USD-M documents; the venue produces TRANSFER, REALIZED_PNL, COMMISSION and FUNDING_FEE. */
const INCOME_TYPES = new Set([
  'TRANSFER',
  'REALIZED_PNL',
  'COMMISSION',
  'WELCOME_BONUS',
  'FUNDING_FEE',
  'INSURANCE_CLEAR',
  'REFERRAL_KICKBACK',
  'COMMISSION_REBATE',
  'API_REBATE',
  'CONTEST_REWARD',
  'CROSS_COLLATERAL_TRANSFER',
  'OPTIONS_PREMIUM_FEE',
  'OPTIONS_SETTLE_PROFIT',
  'INTERNAL_TRANSFER',
  'AUTO_EXCHANGE',
  'DELIVERED_SETTELMENT',
  'COIN_SWAP_DEPOSIT',
  'COIN_SWAP_WITHDRAW',
  'POSITION_LIMIT_INCREASE_FEE',
  'STRATEGY_UMFUTURES_TRANSFER',
  'FEE_RETURN',
  'BFUSD_REWARD',
]);

const WEEK_MS = 7 * 24 * 3_600_000;

export interface IncomeRow {
  symbol: string;
  incomeType: string;
  income: string;
  asset: 'USDT';
  info: string;
  time: number;
  tranId: number;
  tradeId: string;
}

const DAY_MS = 24 * 3_600_000;

/** REALIZED_PNL the account booked today before the venue started (VenueAccount.realizedPnlToday), spread evenly over today before the start. */
function priorPnlRows(ctx: DialectContext, account: Account): IncomeRow[] {
  const prior = account.priorPnl;
  if (!prior || prior.rows <= 0) return [];
  const start = ctx.engine.startedAt;
  const dayStart = Math.floor(start / DAY_MS) * DAY_MS;
  const spacing = (start - dayStart) / (prior.rows + 1);
  const symbol = ctx.engine.symbols.keys().next().value ?? '';
  const each = Number(fixed(prior.totalUsdt / prior.rows, 8));
  return Array.from({ length: prior.rows }, (_, i) => ({
    symbol,
    incomeType: 'REALIZED_PNL',
    income: fixed(i === prior.rows - 1 ? prior.totalUsdt - each * (prior.rows - 1) : each, 8),
    asset: 'USDT' as const,
    info: 'REALIZED_PNL',
    time: dayStart + Math.round((i + 1) * spacing),
    tranId: 2_000_000_001 + i,
    tradeId: '',
  }));
}

/** The account's income entries, oldest first. Transaction ids are derived, so they are stable. */
export function incomes(ctx: DialectContext, account: Account): IncomeRow[] {
  const rows: IncomeRow[] = [];
  if (account.deposit !== 0) {
    rows.push({
      symbol: '',
      incomeType: 'TRANSFER',
      income: fixed(account.deposit, 8),
      asset: 'USDT',
      info: 'TRANSFER',
      time: ctx.engine.startedAt,
      tranId: 1_000_000_001,
      tradeId: '',
    });
  }
  rows.push(...priorPnlRows(ctx, account));
  for (const t of ctx.engine.trades) {
    if (t.instance !== account.instance) continue;
    const base = { symbol: t.symbol, asset: 'USDT' as const, time: t.time, tradeId: String(t.tradeId) };
    if (t.realizedPnl !== 0)
      rows.push({ ...base, incomeType: 'REALIZED_PNL', income: fixed(t.realizedPnl, 8), info: 'REALIZED_PNL', tranId: t.tradeId * 10 + 1 });
    rows.push({ ...base, incomeType: 'COMMISSION', income: fixed(-t.commission, 8), info: 'COMMISSION', tranId: t.tradeId * 10 + 2 });
  }
  // Funding payments come after the trades of their time (a stable sort keeps each kind's order).
  ctx.engine.fundings.forEach((f, i) => {
    if (f.instance !== account.instance) return;
    rows.push({
      symbol: f.symbol,
      incomeType: 'FUNDING_FEE',
      income: fixed(f.amount, 8),
      asset: 'USDT',
      info: 'FUNDING_FEE',
      time: f.time,
      tranId: 3_000_000_001 + i,
      tradeId: '',
    });
  });
  return rows.sort((a, b) => a.time - b.time);
}

function income(ctx: DialectContext, call: Call): VenueReply {
  const symbolText = param(call.params, 'symbol');
  const symbol = symbolText === undefined ? undefined : symbolOrThrow(ctx, symbolText).symbol;
  const type = param(call.params, 'incomeType');
  if (type !== undefined && !INCOME_TYPES.has(type)) throw errors.invalidParam('incomeType');
  let start = intParam(call.params, 'startTime');
  let end = intParam(call.params, 'endTime');
  const limit = intParam(call.params, 'limit') ?? 100;
  if (limit < 1 || limit > 1000) throw errors.invalidParam('limit');
  const page = intParam(call.params, 'page') ?? 1;
  if (page < 1) throw errors.invalidParam('page');
  if (start !== undefined && end !== undefined && start > end) throw errors.startAfterEnd();
  if (start === undefined && end === undefined) {
    end = ctx.engine.now();
    start = end - WEEK_MS;
  }
  const rows = incomes(ctx, accountOf(call)).filter(
    (r) =>
      (symbol === undefined || r.symbol === symbol) &&
      (type === undefined || r.incomeType === type) &&
      (start === undefined || r.time >= start) &&
      (end === undefined || r.time <= end),
  );
  const slice = rows.slice((page - 1) * limit, page * limit);
  noteListPage({ rows: slice.length, limit, page, ...(start !== undefined ? { startTime: start } : {}) });
  return jsonReply(slice);
}

export function incomeHandlers(ctx: DialectContext): RequestHandler[] {
  return [
    route.get(
      '*/fapi/v1/income',
      endpoint(ctx, { security: 'SIGNED', weight: 30 }, (call) => income(ctx, call)),
    ),
  ];
}
