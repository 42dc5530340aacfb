import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClockShim } from '../runtimes/clock-shim.ts';
import { findBinary } from '../runtimes/local/binaries.ts';
import { findLibfaketime } from '../runtimes/local/clock-shim.ts';
import { freePort } from '../runtimes/local/ports.ts';
import { ManagedProcess } from '../runtimes/local/process.ts';
import { type StartedRedis, startRedis } from '../runtimes/local/redis.ts';
import { DEFAULT_SYMBOLS, startVenue } from '../venue/index.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { FaultContext, TargetControl } from './types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fl-host-faults-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const procs: ManagedProcess[] = [];
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
  for (const p of procs) await p.stop('SIGKILL', 0);
  await redis.process.stop('SIGTERM', 2000);
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a process and collects its stdout lines with arrival times. */
async function spawnLines(name: string, command: string, args: string[], env: Record<string, string> = {}) {
  const lines: { line: string; t: number }[] = [];
  const p = await ManagedProcess.start({
    name,
    command,
    args,
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    onStdoutLine: (line) => lines.push({ line, t: performance.now() }),
  });
  procs.push(p);
  return { p, lines };
}

function control(p: ManagedProcess, stateDir = dir, restart: () => Promise<void> = async () => {}): TargetControl {
  return { instance: 'bot-1', pid: p.pid, running: p.running, stateDir, signal: (s) => p.signal(s), restart };
}

async function inject(kind: string, ctx: Partial<FaultContext>, params: Record<string, unknown>) {
  const k = faultKind(kind);
  const recorder = memoryRecorder();
  const active = await k.inject(testContext({ recorder, ...ctx }), { instance: 'bot-1', occurrence: 'f1' }, k.parse(params));
  return { active, recorder };
}

// asyncio, not time.sleep: see the libfaketime limit documented in clock-shim.ts.
const CLOCK_PRINTER =
  'import asyncio,time\nasync def main():\n    while True:\n        print(time.time(), flush=True)\n        await asyncio.sleep(0.05)\nasyncio.run(main())';

describe('clock faults', () => {
  it('clock-jump: a process under the shim reads the skewed time, then the changed one, then real time', async () => {
    const shim = createClockShim(join(dir, 'clock-jump.faketime'), findLibfaketime());
    const { lines } = await spawnLines('clock printer', 'python3', ['-c', CLOCK_PRINTER], shim.env);
    const offset = () => {
      const last = lines.at(-1);
      return last ? Number(last.line) * 1000 - (Date.now() - (performance.now() - last.t)) : Number.NaN;
    };
    // Polled, not slept: on a loaded machine the first line may take a while.
    await until(() => Math.abs(offset()) < 200, 10_000);
    const { active, recorder } = await inject('clock-jump', { clock: () => shim.control }, { offsetMs: 3_600_000 });
    await until(() => offset() > 3_599_000, 5000);
    shim.control.set(-90_000); // changed while running: a step back
    await until(() => offset() < -89_000, 5000);
    await active.heal();
    await until(() => Math.abs(offset()) < 200, 5000);
    expect(recorder.events.filter((e) => e.type === 'clock.offset').map((e) => e.data.offsetMs)).toEqual([3_600_000, 0]);
  });

  it('clock-drift: the offset grows at the given rate and is recorded as it goes', async () => {
    const shim = createClockShim(join(dir, 'clock-drift.faketime'), findLibfaketime());
    const t0 = performance.now();
    const { active, recorder } = await inject('clock-drift', { clock: () => shim.control }, { msPerSecond: 500, durationMs: 5000, stepMs: 50 });
    await sleep(600);
    const elapsed = performance.now() - t0;
    const mid = shim.control.offsetMs;
    // 500 ms per second of drift, stepped every 50 ms (so up to one step behind).
    expect(mid).toBeGreaterThan(0.5 * (elapsed - 150));
    expect(mid).toBeLessThanOrEqual(0.5 * elapsed + 1);
    await active.heal();
    expect(shim.control.offsetMs).toBe(0);
    expect(recorder.events.filter((e) => e.type === 'clock.offset').length).toBeGreaterThan(5);
  });

  it('venue-clock-skew: the venue’s server time moves, then comes back', async () => {
    const venue = await startVenue({
      recorder: memoryRecorder(),
      symbols: DEFAULT_SYMBOLS,
      accounts: [{ instance: 'bot-1', apiKey: 'k'.repeat(64), apiSecret: 's'.repeat(64), balanceUsdt: 1000 }],
    });
    const skew = async () => {
      const r = (await (await fetch(`http://127.0.0.1:${venue.portFor('bot-1')}/fapi/v1/time`)).json()) as { serverTime: number };
      return r.serverTime - Date.now();
    };
    try {
      expect(Math.abs(await skew())).toBeLessThan(100);
      const { active } = await inject('venue-clock-skew', { venue }, { offsetMs: -5000 });
      expect(await skew()).toBeLessThan(-4900);
      await active.heal();
      expect(Math.abs(await skew())).toBeLessThan(100);
    } finally {
      await venue.stop();
    }
  });
});

const LOCKER = join(import.meta.dirname, 'fixtures', 'redis-locker.mjs');

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('process and lock faults', () => {
  it('process-pause: a second instance acquires the Redis lock after the first is paused past its TTL', async () => {
    const a = await spawnLines('locker a', process.execPath, [LOCKER, redis.url, 'a']);
    await until(() => a.lines.length > 0, 5000);
    expect(a.lines.map((l) => l.line)).toEqual(['acquired']);
    const b = await spawnLines('locker b', process.execPath, [LOCKER, redis.url, 'b', 'started']);
    await sleep(800);
    expect(b.lines).toEqual([]);
    const { active } = await inject('process-pause', { target: () => control(a.p) }, { durationMs: 1500 });
    await sleep(1000);
    expect(b.lines.map((l) => l.line)).toEqual(['acquired']);
    await active.heal();
    await sleep(300);
    // Resumed, the first instance finds it lost the lock.
    expect(a.lines.map((l) => l.line)).toEqual(['acquired', 'lost']);
  });

  it('process-kill: SIGKILL ends the process group and restart brings a new one up', async () => {
    const { p } = await spawnLines('sleeper', 'python3', ['-c', 'import signal; signal.pause()']);
    let restarted = false;
    const { active } = await inject(
      'process-kill',
      {
        target: () =>
          control(p, dir, async () => {
            restarted = true;
          }),
      },
      { signal: 'SIGKILL', restartAfterMs: 50 },
    );
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(restarted).toBe(true);
    await active.heal();
  });

  it('redis-lock: steal overwrites the holder with a TTL, delete removes the key', async () => {
    const r = new Redis(redis.url);
    try {
      await r.set('lock:x', 'bot-1');
      const { recorder } = await inject('redis-lock', { redisUrl: redis.url }, { key: 'lock:x', action: 'steal', ttlMs: 5000 });
      expect(await r.get('lock:x')).toBe('faultline-thief-f1');
      expect(await r.pttl('lock:x')).toBeGreaterThan(4000);
      expect(recorder.events[0]?.data.holderBefore).toBe('bot-1');
      await inject('redis-lock', { redisUrl: redis.url }, { key: 'lock:x', action: 'delete' });
      expect(await r.exists('lock:x')).toBe(0);
    } finally {
      r.disconnect();
    }
  });

  it('sqlite-lock: a writer gets SQLITE_BUSY while the lock is held, and writes after heal', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    const db = new DatabaseSync(join(stateDir, 'journal.db'), { timeout: 0 });
    db.exec('CREATE TABLE fills (id INTEGER PRIMARY KEY, qty TEXT)');
    const { p } = await spawnLines('idle', 'python3', ['-c', 'import signal; signal.pause()']);
    const { active, recorder } = await inject('sqlite-lock', { target: () => control(p, stateDir) }, { file: 'journal.db', durationMs: 1000 });
    expect(() => db.exec("INSERT INTO fills (qty) VALUES ('1')")).toThrow(/database is locked/);
    await active.heal();
    db.exec("INSERT INTO fills (qty) VALUES ('1')");
    expect(db.prepare('SELECT count(*) AS n FROM fills').get()).toEqual({ n: 1 });
    expect(recorder.events.map((e) => e.type)).toEqual(['lock.acquired', 'lock.released']);
    db.close();
    expect(() => faultKind('sqlite-lock').parse({ file: '../../etc/passwd', durationMs: 10 })).toThrow(/inside the instance/);
  });

  it('file-lock-age: the lock file’s mtime moves ageMs into the past', async () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    writeFileSync(join(stateDir, 'store.lock'), String(process.pid));
    const { p } = await spawnLines('idle', 'python3', ['-c', 'import signal; signal.pause()']);
    await inject('file-lock-age', { target: () => control(p, stateDir) }, { file: 'store.lock', ageMs: 3_600_000 });
    const age = Date.now() - statSync(join(stateDir, 'store.lock')).mtimeMs;
    expect(age).toBeGreaterThan(3_590_000);
    // In the folder the instances share (coordination "folder"); a scenario without one fails loudly.
    const shared = mkdtempSync(join(dir, 'shared-'));
    writeFileSync(join(shared, 'leader.lock'), '{}');
    await inject('file-lock-age', { target: () => control(p, stateDir), sharedDir: () => shared }, { file: 'leader.lock', ageMs: 600_000, in: 'shared' });
    expect(Date.now() - statSync(join(shared, 'leader.lock')).mtimeMs).toBeGreaterThan(590_000);
    await expect(inject('file-lock-age', { target: () => control(p, stateDir) }, { file: 'leader.lock', ageMs: 1, in: 'shared' })).rejects.toThrow(
      /shared folder/,
    );
    expect(() => faultKind('file-lock-age').parse({ file: 'x', ageMs: 1, in: 'tmp' })).toThrow(/in must be/);
  });
});
