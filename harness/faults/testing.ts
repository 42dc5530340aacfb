import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Recorder } from '../history/types.ts';
import { findBinary } from '../runtimes/local/binaries.ts';
import { freePort } from '../runtimes/local/ports.ts';
import { type StartedToxiproxy, startToxiproxy } from '../runtimes/local/toxiproxy.ts';
import { BOT1, btcTop, startTestVenue, type TestVenue } from '../venue/testing.ts';
import type { FaultContext, TargetControl } from './types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** A recorder that keeps events in memory (fault tests assert on what faults record). */
export function memoryRecorder(): Recorder & { events: { src: string; type: string; data: Record<string, unknown>; instance?: string }[] } {
  const t0 = performance.now();
  const events: { src: string; type: string; data: Record<string, unknown>; instance?: string }[] = [];
  return {
    events,
    now: () => performance.now() - t0,
    record(src, type, data, instance) {
      const e = { seq: events.length, t: performance.now() - t0, src, type, data, ...(instance ? { instance } : {}) };
      events.push(e);
      return e as never;
    },
  };
}

/** A real toxiproxy-server for fault tests, in its own temp folder; stop() removes both. */
export async function testToxiproxy(): Promise<StartedToxiproxy & { stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-fault-test-'));
  const tp = await startToxiproxy({
    binary: findBinary('toxiproxy-server', ROOT, 'FAULTLINE_TOXIPROXY_SERVER'),
    port: await freePort(),
    dir,
    env: { PATH: process.env.PATH ?? '' },
    signal: new AbortController().signal,
  });
  return {
    ...tp,
    async stop() {
      await tp.process.stop('SIGTERM', 2000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A FaultContext whose parts a test does not provide throw when touched, so a fault using them fails loudly. */
export function testContext(parts: Partial<FaultContext> & { recorder: Recorder }): FaultContext {
  const missing = (what: string) => () => {
    throw new Error(`test context has no ${what}`);
  };
  return {
    signal: new AbortController().signal,
    link: missing('links'),
    clock: missing('clock shim'),
    target: missing('target'),
    redisUrl: 'redis://127.0.0.1:1',
    postgresUrl: missing('postgres'),
    sharedDir: missing('shared folder'),
    venue: new Proxy({}, { get: missing('venue') }) as FaultContext['venue'],
    ...parts,
  };
}

/**
 * For account faults (foreign-order, predecessor-orders, cancel-fail): a test venue with a BTCUSDT
 * book at 60,000, and a stand-in target process carrying BOT1's credentials in its environment,
 * which is where those faults read them. Registers its own beforeAll/afterAll.
 */
export function accountFixture(): { venue(): TestVenue; control(orderIdPrefix?: string): TargetControl } {
  let tv: TestVenue | undefined;
  const child = spawn('sleep', ['60'], { env: { VENUE_API_KEY: BOT1.apiKey, VENUE_API_SECRET: BOT1.apiSecret } });
  beforeAll(async () => {
    tv = await startTestVenue();
    tv.venue.applyTick('BTCUSDT', btcTop(60_000));
  });
  afterAll(async () => {
    child.kill('SIGKILL');
    await tv?.venue.stop();
  });
  return {
    venue() {
      if (!tv) throw new Error('accountFixture: the venue starts in beforeAll');
      return tv;
    },
    control(orderIdPrefix) {
      return {
        instance: 'bot-1',
        pid: child.pid as number,
        running: true,
        stateDir: '/nonexistent',
        signal: () => {},
        restart: async () => {},
        ...(orderIdPrefix ? { orderIdPrefix } : {}),
      };
    },
  };
}
