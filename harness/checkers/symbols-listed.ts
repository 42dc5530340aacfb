import type { HistoryEvent, HttpRequestData } from '../history/types.ts';
import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const DUST_SYMBOL = '004_8a8a9a4995486b8f.txt#H-PORT-05';
const INVALID_SYMBOL = -1121;

/**
 * The bot asks only about symbols the venue lists: no request of it is refused with -1121 "Invalid
 * symbol." A bot that builds symbol names from its balances instead of from exchangeInfo sends
 * requests for markets that do not exist (004_8a8a9a4995486b8f.txt#H-PORT-05: the dust sweep pairs
 * quote-currency dust with the quote currency and asks for "USDT/USDT"), exchange errors on every
 * sweep. Judged from the venue's records: every `http.request` answered with code -1121 is a
 * violation (the order reject of an order request is the same request). Evidence: [the request].
 *
 * Unknown when the bot made no signed or public request at all after start (nothing to judge).
 */
export const symbolsListed: Checker = {
  name: 'symbols-listed',
  description: 'No request of the bot names a symbol the venue does not list (no -1121 Invalid symbol)',
  findings: [DUST_SYMBOL],
  requires: ['rest-orders'],
  check(history): CheckResult {
    const violations: Violation[] = [];
    const stats = { requests: 0, invalidSymbol: 0 };
    const rejects = new Map<string, HistoryEvent>(); // instance -> last order.reject with -1121 (carries the symbol)
    for (const e of history) {
      if (e.src !== 'venue' || e.instance === undefined) continue;
      if (e.type === 'order.reject' && Number((e.data as { code?: unknown }).code) === INVALID_SYMBOL) {
        rejects.set(e.instance, e);
        continue;
      }
      if (e.type !== 'http.request') continue;
      stats.requests++;
      const d = e.data as HttpRequestData;
      if (d.code !== INVALID_SYMBOL) continue;
      stats.invalidSymbol++;
      const reject = rejects.get(e.instance);
      rejects.delete(e.instance);
      const symbol = (reject?.data as { symbol?: unknown } | undefined)?.symbol;
      // 004_8a8a9a4995486b8f.txt#H-PORT-05: a market name made up, not taken from exchangeInfo.
      violations.push({
        t: e.t,
        instance: e.instance,
        message: `${e.instance} asked ${d.method} ${d.path}${symbol !== undefined ? ` for ${String(symbol)}` : ''}, a symbol the venue does not list (-1121 Invalid symbol)`,
        evidence: [e.seq, ...(reject ? [reject.seq] : [])],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.requests === 0) return unknown('the bot made no REST request: nothing to judge', stats);
    return { valid: true, violations: [], notes: [`${stats.requests} request(s), none for a symbol the venue does not list`], stats };
  },
};
