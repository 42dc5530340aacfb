import { HttpResponse } from 'msw';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import type { ActiveFault, FaultKind } from './types.ts';

export interface AccountBalanceGlitchParams {
  /** The USDT wallet balance the glitched answers report (unrealized PnL 0). */
  balanceUsdt: number;
  /** How many balance answers are glitched (then the real balance again); absent = every answer until heal. */
  count?: number;
  durationMs: number;
}

const PATHS = ['/fapi/v2/balance', '/fapi/v3/balance'] as const;

/**
 * The account's balance readings go wrong: GET /fapi/v2/balance (and v3) of the instance answer a
 * USDT row whose balance is balanceUsdt and unrealized PnL 0, instead of the account's real one,
 * for the next `count` answers (one anomalous reading, audit 001_0474a2fd1532b929.txt#M20) or, without
 * count, for every answer until heal (a sustained loss as the bot sees it, e.g. to trip a drawdown
 * guard before a restart, 001_0474a2fd1532b929.txt#M9). Nothing changes on the venue's books. Each
 * glitched answer is recorded as `fault balance.glitched` (n = its number, reported balance) just
 * before the venue records its `http.request`.
 */
export const accountBalanceGlitch: FaultKind<AccountBalanceGlitchParams> = {
  name: 'account-balance-glitch',
  description: 'Answer the bot’s balance reads (GET /fapi/v2|v3/balance) with a wrong USDT balance, count times or until heal',
  links: [],
  parse(raw) {
    onlyKeys('account-balance-glitch', raw, ['balanceUsdt', 'count', 'durationMs']);
    const b = raw.balanceUsdt;
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0) throw new ConfigError('fault account-balance-glitch: balanceUsdt must be a number >= 0');
    const count = raw.count;
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
      throw new ConfigError('fault account-balance-glitch: count must be a whole number >= 1');
    return { balanceUsdt: b, ...(count !== undefined ? { count } : {}), durationMs: msParam('account-balance-glitch', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target, p) {
    let n = 0;
    const amount = p.balanceUsdt.toFixed(8);
    const resolver = () => {
      if (p.count !== undefined && n >= p.count) return undefined; // the real balance again
      n++;
      ctx.recorder.record('fault', 'balance.glitched', { id: target.occurrence, n, balanceUsdt: p.balanceUsdt }, target.instance);
      return HttpResponse.json([
        {
          accountAlias: 'SgsRmYFzTiXq',
          asset: 'USDT',
          balance: amount,
          crossWalletBalance: amount,
          crossUnPnl: '0.00000000',
          availableBalance: amount,
          maxWithdrawAmount: amount,
          marginAvailable: true,
          updateTime: Date.now(),
        },
      ]);
    };
    const layers: ActiveFault[] = PATHS.map((path) => overrideRest(ctx, target, 'GET', path, resolver));
    return {
      async heal() {
        for (const l of layers) await l.heal();
      },
    };
  },
};
