import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryRecorder } from '../faults/testing.ts';
import { findBinary } from '../runtimes/local/binaries.ts';
import { freePort } from '../runtimes/local/ports.ts';
import { type StartedRedis, startRedis } from '../runtimes/local/redis.ts';
import { createRedisUsers, startRedisMonitor } from './redis-monitor.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-redis-monitor-'));
let redis: StartedRedis;
beforeAll(async () => {
  redis = await startRedis({
    binary: findBinary('redis-server', resolve(import.meta.dirname, '../..'), 'FAULTLINE_REDIS_SERVER'),
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

describe('Redis per-instance users and MONITOR', () => {
  it('attributes each command to the instance that sent it, in execution order', async () => {
    const urls = await createRedisUsers(redis.url, ['bot-1', 'bot-2']);
    const recorder = memoryRecorder();
    const mon = await startRedisMonitor(redis.url, recorder);
    const a = new Redis(urls['bot-1'] as string);
    const b = new Redis(urls['bot-2'] as string);
    const harness = new Redis(redis.url);
    try {
      await a.set('leader', 'bot-1', 'PX', 1000, 'NX');
      await b.set('leader', 'bot-2', 'PX', 1000, 'NX');
      await harness.del('leader');
      await b.set('leader', 'bot-2', 'PX', 1000, 'NX');
      await new Promise((r) => setTimeout(r, 200));
      const cmds = recorder.events
        .filter(
          (e) =>
            e.type === 'command' && String((e.data.args as string[])[0]).toLowerCase() !== 'auth' && (e.data.args as string[])[0]?.toLowerCase() !== 'client',
        )
        .map((e) => `${e.instance ?? e.data.user}:${(e.data.args as string[]).slice(0, 2).join(' ')}`);
      expect(cmds.filter((c) => /set|del/i.test(c))).toEqual(['bot-1:set leader', 'bot-2:set leader', 'default:del leader', 'bot-2:set leader']);
    } finally {
      mon.stop();
      a.disconnect();
      b.disconnect();
      harness.disconnect();
    }
  });

  it('attributes a connection to its user from its AUTH on, even when it was looked up before it', async () => {
    // The race of a loaded machine: an instance's connection is open but not yet authenticated when
    // another client's first command makes the monitor list the clients, so it is listed as "default".
    const urls = await createRedisUsers(redis.url, ['bot-1', 'bot-2']);
    const recorder = memoryRecorder();
    const mon = await startRedisMonitor(redis.url, recorder);
    const late = new Redis(redis.url, { lazyConnect: true });
    try {
      await late.connect();
      await late.ping('before-auth');
      await until(() => recorder.events.some((e) => (e.data.args as string[] | undefined)?.[1] === 'before-auth'));
      const url = new URL(urls['bot-2'] as string);
      await late.call('AUTH', url.username, decodeURIComponent(url.password));
      await late.set('leader', 'bot-2', 'PX', 1000);
      await until(() => recorder.events.some((e) => (e.data.args as string[] | undefined)?.[0]?.toLowerCase() === 'set'));
      const byCommand = (name: string) => recorder.events.find((e) => (e.data.args as string[] | undefined)?.[0]?.toLowerCase() === name);
      expect(byCommand('ping')?.instance).toBeUndefined(); // before its AUTH it was the default user
      expect(byCommand('set')?.instance).toBe('bot-2');
      expect(byCommand('set')?.data.user).toBe('bot-2');
    } finally {
      mon.stop();
      late.disconnect();
    }
  });
});

async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
