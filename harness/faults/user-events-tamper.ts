import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface UserEventsTamperParams {
  mode: 'duplicate' | 'reorder';
  count: number;
  maxHoldMs?: number;
}

/**
 * Duplicates or reorders the instance's next `count` user-data messages (ORDER_TRADE_UPDATE,
 * ACCOUNT_UPDATE), as replays after a reconnect and multi-path delivery do: a bot must apply each
 * execution once and tolerate cumulative fields arriving out of order.
 */
export const userEventsTamper: FaultKind<UserEventsTamperParams> = {
  name: 'user-events-tamper',
  description: 'Duplicate or reorder the bot’s next count user-data events',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('user-events-tamper', raw, ['mode', 'count', 'maxHoldMs']);
    if (raw.mode !== 'duplicate' && raw.mode !== 'reorder') throw new ConfigError('fault user-events-tamper: mode must be duplicate or reorder');
    if (typeof raw.count !== 'number' || !Number.isInteger(raw.count) || raw.count < 1 || raw.count > 1000)
      throw new ConfigError('fault user-events-tamper: count must be a whole number in [1, 1000]');
    const p: UserEventsTamperParams = { mode: raw.mode, count: raw.count };
    if (raw.maxHoldMs !== undefined) p.maxHoldMs = msParam('user-events-tamper', raw, 'maxHoldMs', { min: 1 });
    return p;
  },
  async inject(ctx, target, p) {
    ctx.venue.tamperUserEvents(target.instance, p.mode, p.count, p.maxHoldMs);
    return { heal: async () => {} };
  },
};
