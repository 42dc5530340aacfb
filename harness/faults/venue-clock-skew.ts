import { ConfigError } from '../core/errors.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * Skews the venue's server time (GET /fapi/v1/time, the recvWindow rule, event times) by
 * offsetMs: the bot's own clock is fine but the exchange disagrees, so correctly signed requests
 * start failing with -1021 unless the bot re-syncs its offset.
 */
export const venueClockSkew: FaultKind<{ offsetMs: number; durationMs?: number }> = {
  name: 'venue-clock-skew',
  description: 'Skew the venue’s server time by offsetMs, for durationMs or the rest of the run',
  links: [],
  parse(raw) {
    onlyKeys('venue-clock-skew', raw, ['offsetMs', 'durationMs']);
    if (typeof raw.offsetMs !== 'number' || !Number.isFinite(raw.offsetMs)) throw new ConfigError('fault venue-clock-skew: offsetMs must be a number of ms');
    return raw.durationMs === undefined
      ? { offsetMs: raw.offsetMs }
      : { offsetMs: raw.offsetMs, durationMs: msParam('venue-clock-skew', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, _target, params) {
    ctx.venue.setServerTimeOffset(params.offsetMs);
    return healOnce(async () => {
      ctx.venue.setServerTimeOffset(0);
    });
  },
};
