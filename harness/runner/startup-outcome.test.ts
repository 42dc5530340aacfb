import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import base from '../../scenarios/config-invalid-value-fails-fast.ts';
import { ConfigError, RuntimeFailure } from '../core/errors.ts';
import { validateScenario } from '../core/scenario.ts';
import type { HistoryEvent, Recorder, Source } from '../history/types.ts';
import { judgeStartup, stderrTail } from './startup-outcome.ts';

function memoryRecorder(): Recorder & { events: HistoryEvent[] } {
  const events: HistoryEvent[] = [];
  return {
    events,
    now: () => performance.now(),
    record(src: Source, type: string, data, instance) {
      const e = { seq: events.length, t: performance.now(), src, type, data, ...(instance ? { instance } : {}) };
      events.push(e as HistoryEvent);
      return e as never;
    },
  };
}

const dirs: string[] = [];
function logDir(stderr?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'startup-outcome-'));
  dirs.push(d);
  if (stderr !== undefined) writeFileSync(join(d, 'stderr.log'), stderr);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const signal = new AbortController().signal;

describe('judgeStartup', () => {
  it('records a ready start and returns true', async () => {
    const rec = memoryRecorder();
    const ok = await judgeStartup({ instance: 'bot-1', start: async () => {}, running: () => true, logDir: logDir(), decideMs: 5000, recorder: rec, signal });
    expect(ok).toBe(true);
    expect(rec.events.map((e) => [e.type, e.data.outcome, e.instance])).toEqual([['startup.outcome', 'ready', 'bot-1']]);
  });

  it('records an exit before ready with the stderr tail, and a hang as running', async () => {
    const rec = memoryRecorder();
    const fail = () => Promise.reject(new RuntimeFailure('target refbot bot-1 exited before it was ready (code 2, signal null)'));
    const dir = logDir(`${'x'.repeat(3000)}\nrefbot: invalid configuration: REFBOT_MAX_NOTIONAL_USD='1000usd' is not a valid number\n`);
    expect(await judgeStartup({ instance: 'bot-1', start: fail, running: () => false, logDir: dir, decideMs: 5000, recorder: rec, signal })).toBe(false);
    const exited = rec.events[0]?.data as { outcome: string; stderrTail: string; decideMs: number };
    expect(exited.outcome).toBe('exited');
    expect(exited.decideMs).toBe(5000);
    expect(exited.stderrTail).toMatch(/REFBOT_MAX_NOTIONAL_USD='1000usd' is not a valid number$/);
    expect(exited.stderrTail.length).toBeLessThanOrEqual(2000);

    expect(await judgeStartup({ instance: 'bot-2', start: fail, running: () => true, logDir: logDir(), decideMs: 5000, recorder: rec, signal })).toBe(false);
    expect(rec.events[1]?.data).toMatchObject({ outcome: 'running', stderrTail: '' });
  });

  it('rethrows what is not a target outcome: other errors, an instance that never launched, an abort', async () => {
    const rec = memoryRecorder();
    const common = { instance: 'bot-1', logDir: logDir(), decideMs: 5000, recorder: rec };
    const boom = new Error('could not start target bot-1');
    await expect(judgeStartup({ ...common, start: () => Promise.reject(boom), running: () => false, signal })).rejects.toBe(boom);
    const rf = new RuntimeFailure('exited before it was ready');
    const never = () => {
      throw new Error('bot-1 was never started');
    };
    await expect(judgeStartup({ ...common, start: () => Promise.reject(rf), running: never, signal })).rejects.toBe(rf);
    const ac = new AbortController();
    ac.abort(new Error('SIGINT'));
    await expect(judgeStartup({ ...common, start: () => Promise.reject(rf), running: () => false, signal: ac.signal })).rejects.toBe(rf);
    expect(rec.events).toEqual([]);
  });

  it('stderrTail is empty without a log file', async () => {
    expect(await stderrTail(join(logDir(), 'missing'), signal)).toBe('');
  });
});

describe('scenario startup validation', () => {
  it('accepts { env, decideMs } and rejects malformed ones', () => {
    expect(validateScenario(base, 'x').startup).toEqual({ env: { REFBOT_MAX_NOTIONAL_USD: '1000usd' }, decideMs: 8000 });
    for (const [startup, msg] of [
      [{ env: { A: 1 }, decideMs: 10 }, /startup.env/],
      [{ decideMs: 10 }, /startup.env/],
      [{ env: {}, decideMs: 0 }, /startup.decideMs/],
      ['x', /startup must be an object/],
    ] as const) {
      expect(() => validateScenario({ ...base, startup }, 'x')).toThrow(ConfigError);
      expect(() => validateScenario({ ...base, startup }, 'x')).toThrow(msg);
    }
  });
});
