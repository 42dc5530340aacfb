import { Redis } from 'ioredis';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface RedisLockParams {
  key: string;
  /** steal: overwrite the key with a foreign owner; delete: remove it (an eviction, a FLUSH, a failover). */
  action: 'steal' | 'delete';
  /** Owner written by steal. */
  value?: string;
  /** TTL of the stolen key. */
  ttlMs?: number;
}

/**
 * Acts on a bot's Redis lock key directly, behind the holder's back: the holder must notice
 * (fencing, re-check before acting) instead of trading on as if it still held the lock.
 */
export const redisLock: FaultKind<RedisLockParams> = {
  name: 'redis-lock',
  description: 'Steal (overwrite) or delete a Redis lock key the bot holds',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('redis-lock', raw, ['key', 'action', 'value', 'ttlMs']);
    if (typeof raw.key !== 'string' || raw.key === '') throw new ConfigError('fault redis-lock: key is required');
    if (raw.action !== 'steal' && raw.action !== 'delete')
      throw new ConfigError(`fault redis-lock: action must be steal or delete, got ${JSON.stringify(raw.action)}`);
    const p: RedisLockParams = { key: raw.key, action: raw.action };
    if (raw.value !== undefined) p.value = String(raw.value);
    if (raw.ttlMs !== undefined) p.ttlMs = msParam('redis-lock', raw, 'ttlMs', { min: 1 });
    return p;
  },
  async inject(ctx, target, params) {
    const redis = new Redis(ctx.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const before = await redis.get(params.key);
      if (params.action === 'delete') {
        await redis.del(params.key);
      } else {
        const value = params.value ?? `faultline-thief-${target.occurrence}`;
        if (params.ttlMs !== undefined) await redis.set(params.key, value, 'PX', params.ttlMs);
        else await redis.set(params.key, value);
      }
      ctx.recorder.record('redis', 'lock.tampered', { key: params.key, action: params.action, holderBefore: before, by: target.occurrence }, target.instance);
    } finally {
      redis.disconnect();
    }
    return { heal: async () => {} };
  },
};
