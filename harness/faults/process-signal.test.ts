import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../runtimes/local/process.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const procs: ManagedProcess[] = [];

afterAll(async () => {
  for (const p of procs) await p.stop('SIGKILL', 0);
});

/** A python process that prints "up" once its handlers are installed. */
async function python(code: string): Promise<ManagedProcess> {
  let up: () => void = () => {};
  const ready = new Promise<void>((r) => {
    up = r;
  });
  const p = await ManagedProcess.start({
    name: 'signal target',
    command: 'python3',
    args: ['-c', code],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    onStdoutLine: (l) => {
      if (l === 'up') up();
    },
  });
  procs.push(p);
  await ready;
  return p;
}

function control(p: ManagedProcess): TargetControl {
  return {
    instance: 'bot-1',
    pid: p.pid,
    get running() {
      return p.running;
    },
    stateDir: ROOT,
    signal: (s) => p.signal(s),
    restart: async () => {},
  };
}

async function inject(p: ManagedProcess, params: Record<string, unknown>) {
  const k = faultKind('process-signal');
  const recorder = memoryRecorder();
  await k.inject(testContext({ recorder, target: () => control(p) }), { instance: 'bot-1', occurrence: 'f1' }, k.parse(params));
  return recorder;
}

const GRACEFUL = 'import signal,sys\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\nprint("up", flush=True)\nsignal.pause()';
const DEAF = 'import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("up", flush=True)\nwhile True: signal.pause()';

describe('process-signal', () => {
  it('parses defaults and rejects signals that are not stop requests', () => {
    const k = faultKind('process-signal');
    expect(k.parse({})).toEqual({ signal: 'SIGTERM', graceMs: 5000 });
    expect(k.parse({ signal: 'SIGINT', graceMs: 800 })).toEqual({ signal: 'SIGINT', graceMs: 800 });
    expect(() => k.parse({ signal: 'SIGKILL' })).toThrow(/SIGTERM or SIGINT/);
    expect(() => k.parse({ graceMs: 10 })).toThrow(/graceMs/);
    expect(() => k.parse({ grace: 1000 })).toThrow(/unknown parameter "grace"/);
  });

  it('records the signal, and a bot that exits in time is not killed', async () => {
    const p = await python(GRACEFUL);
    const recorder = await inject(p, { signal: 'SIGTERM', graceMs: 2000 });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(recorder.events.map((e) => e.type)).toEqual(['process.signal']);
    expect(recorder.events[0]?.data).toMatchObject({ id: 'f1', signal: 'SIGTERM', pid: p.pid, graceMs: 2000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(recorder.events).toHaveLength(1);
  });

  it('SIGKILLs a bot that ignores the signal once the grace is over, and records it', async () => {
    const p = await python(DEAF);
    const started = performance.now();
    const recorder = await inject(p, { graceMs: 400 });
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(recorder.events.map((e) => e.type)).toEqual(['process.signal', 'process.grace-exceeded']);
    expect(recorder.events[1]?.data.waitedMs).toBeGreaterThanOrEqual(400);
  });
});
