import { Redis } from 'ioredis';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface RedisPauseParams {
  /** How long Redis answers no client command. */
  durationMs: number;
}

/**
 * Redis stalls: `CLIENT PAUSE durationMs ALL` on the run's Redis, so every client command (the
 * bot's lock renewals, AUTH of a new connection) waits unanswered until heal (`CLIENT UNPAUSE`);
 * connections are still accepted and stay open. A bot whose Redis client times out and "reconnects"
 * without closing the stalled connection (audit 002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client:
 * no pool bounding or reusing connections) leaks one socket per timeout. Records `redis paused`
 * (durationMs) once the pause is in effect and `redis unpaused` at heal. Acts on the whole Redis,
 * so on every instance at once.
 */
export const redisPause: FaultKind<RedisPauseParams> = {
  name: 'redis-pause',
  description: 'Redis answers no client command for durationMs (CLIENT PAUSE ALL); connections stay open',
  links: [],
  parse(raw) {
    onlyKeys('redis-pause', raw, ['durationMs']);
    return { durationMs: msParam('redis-pause', raw, 'durationMs', { min: 1, max: 600_000 }) };
  },
  async inject(ctx, target, p) {
    const command = async (...args: (string | number)[]) => {
      const redis = new Redis(ctx.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await redis.call('CLIENT', ...args);
      } finally {
        redis.disconnect();
      }
    };
    // Slightly longer than the fault: heal ends it explicitly, so it never ends early.
    await command('PAUSE', p.durationMs + 1000, 'ALL');
    ctx.recorder.record('redis', 'paused', { id: target.occurrence, durationMs: p.durationMs }, target.instance);
    let healed = false;
    return {
      heal: async () => {
        if (healed) return;
        healed = true;
        await command('UNPAUSE');
        ctx.recorder.record('redis', 'unpaused', { id: target.occurrence }, target.instance);
      },
    };
  },
};
