import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary } from '../runtimes/local/binaries.ts';
import { freePort } from '../runtimes/local/ports.ts';
import { type StartedRedis, startRedis } from '../runtimes/local/redis.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fl-redis-pause-'));
let redis: StartedRedis;
beforeAll(async () => {
  redis = await startRedis({
    binary: findBinary('redis-server', ROOT, 'FAULTLINE_REDIS_SERVER'),
    port: await freePort(),
    dir,
    env: { PATH: process.env.PATH ?? '' },
    signal: new AbortController().signal,
  });
});
afterAll(async () => {
  await redis.process.stop('SIGTERM', 2000);
  rmSync(dir, { recursive: true, force: true });
});

const k = faultKind('redis-pause');
const settled = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => 'answered'), new Promise((r) => setTimeout(() => r('pending'), ms))]);

describe('redis-pause', () => {
  it('parses its params', () => {
    expect(k.parse({ durationMs: 8000 })).toEqual({ durationMs: 8000 });
    expect(() => k.parse({})).toThrow(/durationMs/);
    expect(() => k.parse({ durationMs: 1, ms: 1 })).toThrow(/unknown parameter "ms"/);
  });

  it('leaves commands unanswered, on new connections too, until heal, then answers them', async () => {
    const client = new Redis(redis.url, { enableReadyCheck: false, maxRetriesPerRequest: null });
    try {
      await client.set('k', 'v');
      const recorder = memoryRecorder();
      const active = await k.inject(testContext({ recorder, redisUrl: redis.url }), { instance: 'all', occurrence: 'f1' }, k.parse({ durationMs: 5000 }));
      const pending = client.get('k');
      expect(await settled(pending, 400)).toBe('pending');
      const late = new Redis(redis.url, { enableReadyCheck: false, maxRetriesPerRequest: null }); // a new connection waits too
      const lateGet = late.get('k');
      expect(await settled(lateGet, 300)).toBe('pending');
      await active.heal();
      await active.heal();
      expect(await pending).toBe('v');
      expect(await lateGet).toBe('v');
      late.disconnect();
      expect(recorder.events.map((e) => [e.src, e.type, e.data])).toEqual([
        ['redis', 'paused', { id: 'f1', durationMs: 5000 }],
        ['redis', 'unpaused', { id: 'f1' }],
      ]);
    } finally {
      client.disconnect();
    }
  });
});
