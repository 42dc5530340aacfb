import { HttpResponse } from 'msw';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import type { FaultKind } from './types.ts';

export interface RestRateLimitParams {
  durationMs: number;
  retryAfterS: number;
  /** After this many 429s in the storm, further requests get 418 (IP ban); 0 = never. */
  banAfter: number;
}

/**
 * A rate-limit storm on every REST path: 429 with Retry-After and -1003, then 418 (auto-ban) for a
 * bot that keeps sending. A disciplined bot backs off for Retry-After and never reaches the ban.
 */
export const restRateLimit: FaultKind<RestRateLimitParams> = {
  name: 'rest-rate-limit',
  description: 'Answer every REST request with 429 + Retry-After (then 418 after banAfter hits) for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('rest-rate-limit', raw, ['durationMs', 'retryAfterS', 'banAfter']);
    const retryAfterS = raw.retryAfterS ?? 5;
    const banAfter = raw.banAfter ?? 0;
    if (typeof retryAfterS !== 'number' || !Number.isInteger(retryAfterS) || retryAfterS < 1)
      throw new ConfigError('fault rest-rate-limit: retryAfterS must be a whole number >= 1');
    if (typeof banAfter !== 'number' || !Number.isInteger(banAfter) || banAfter < 0)
      throw new ConfigError('fault rest-rate-limit: banAfter must be a whole number >= 0');
    return { durationMs: msParam('rest-rate-limit', raw, 'durationMs', { min: 1 }), retryAfterS, banAfter };
  },
  async inject(ctx, target, p) {
    let hits = 0;
    return overrideRest(ctx, target, '*', '/fapi/*', () => {
      hits++;
      const headers = { 'Retry-After': String(p.retryAfterS) };
      if (p.banAfter > 0 && hits > p.banAfter) {
        const until = Date.now() + p.retryAfterS * 1000;
        return HttpResponse.json(
          { code: -1003, msg: `Way too much request weight used; IP banned until ${until}. Please use the websocket for live updates to avoid bans.` },
          { status: 418, headers },
        );
      }
      return HttpResponse.json(
        {
          code: -1003,
          msg: 'Too much request weight used; current limit is 2400 request weight per 1 MINUTE. Please use the websocket for live updates to avoid polling the API.',
        },
        { status: 429, headers },
      );
    });
  },
};
