import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Recorder } from '../history/types.ts';
import { findBinary } from '../runtimes/local/binaries.ts';
import { freePort } from '../runtimes/local/ports.ts';
import { type StartedToxiproxy, startToxiproxy } from '../runtimes/local/toxiproxy.ts';
import type { FaultContext } from './types.ts';

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
