import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../core/errors.ts';
import type { ScheduledFault } from '../core/schedule.ts';
import { testContext } from '../faults/testing.ts';
import { HistoryWriter } from '../history/writer.ts';
import type { Link } from '../runtimes/types.ts';
import { FaultDriver } from './fault-driver.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A link that only remembers what was done to it. */
function fakeLink(log: string[]): Link {
  return {
    instance: 'bot-1',
    name: 'market-ws',
    listen: '127.0.0.1:1',
    upstream: '127.0.0.1:2',
    disable: async () => void log.push('disable'),
    enable: async () => void log.push('enable'),
    addToxic: async (t) => void log.push(`add ${t.type}`),
    removeToxic: async () => void log.push('remove'),
  };
}

function setup(schedule: ScheduledFault[]) {
  const d = mkdtempSync(join(tmpdir(), 'fl-driver-'));
  dirs.push(d);
  const recorder = new HistoryWriter(join(d, 'h.jsonl'));
  const log: string[] = [];
  const driver = new FaultDriver(schedule, testContext({ recorder, link: () => fakeLink(log) }), (fn) => recorder.subscribe(fn));
  return { recorder, log, driver };
}

describe('FaultDriver', () => {
  it('fires timed faults on time, heals them after durationMs, and records both with lateness', async () => {
    const { recorder, log, driver } = setup([{ id: 'f1', kind: 'ws-disconnect', instance: 'bot-1', link: 'market-ws', atMs: 50, params: { durationMs: 100 } }]);
    const events: { type: string; data: Record<string, unknown>; t: number }[] = [];
    recorder.subscribe((e) => events.push(e));
    const t0 = performance.now();
    await driver.run(t0, new AbortController().signal);
    expect(log).toEqual(['disable', 'enable']);
    const start = events.find((e) => e.type === 'fault.start');
    const end = events.find((e) => e.type === 'fault.end');
    expect(start?.data.lateMs).toBeGreaterThanOrEqual(0);
    expect((end?.t ?? 0) - (start?.t ?? 0)).toBeGreaterThanOrEqual(95);
    expect(end?.data.healedBy).toBe('schedule');
  });

  it('fires a triggered fault on the n-th matching venue event of its instance only', async () => {
    const { recorder, log, driver } = setup([
      {
        id: 'f1',
        kind: 'link-stall',
        instance: 'bot-1',
        link: 'market-ws',
        trigger: { event: 'order.accepted', nth: 2, delayMs: 0 },
        params: { durationMs: 10 },
      },
    ]);
    const starts: number[] = [];
    recorder.subscribe((e) => {
      if (e.type === 'fault.start') starts.push((e.data as { triggeredBy: number }).triggeredBy);
    });
    const done = driver.run(performance.now(), new AbortController().signal);
    recorder.record('venue', 'order.new', { orderId: 1 }, 'bot-1');
    recorder.record('venue', 'order.new', { orderId: 2 }, 'bot-2'); // other instance: not counted
    const second = recorder.record('venue', 'order.new', { orderId: 3 }, 'bot-1');
    await done;
    expect(starts).toEqual([second.seq]);
    expect(log).toEqual(['add timeout', 'remove']);
  });

  it('fires on the target’s halt probe (probe.halt), not on other probes or venue events', async () => {
    const { recorder, driver } = setup([
      { id: 'f1', kind: 'link-stall', instance: 'bot-1', link: 'market-ws', trigger: { event: 'probe.halt', nth: 1, delayMs: 0 }, params: { durationMs: 10 } },
    ]);
    const starts: number[] = [];
    recorder.subscribe((e) => {
      if (e.type === 'fault.start') starts.push((e.data as { triggeredBy: number }).triggeredBy);
    });
    const done = driver.run(performance.now(), new AbortController().signal);
    recorder.record('target', 'probe', { probe: 'heartbeat' }, 'bot-1');
    recorder.record('venue', 'order.new', { orderId: 1 }, 'bot-1');
    recorder.record('target', 'probe', { probe: 'halt', reason: 'x' }, 'bot-2'); // other instance
    const halt = recorder.record('target', 'probe', { probe: 'halt', reason: 'kill file' }, 'bot-1');
    await done;
    expect(starts).toEqual([halt.seq]);
  });

  it('records an instant fault’s end right away, and heals what is left at teardown', async () => {
    const ctrl = new AbortController();
    const { recorder, log, driver } = setup([
      { id: 'f1', kind: 'link-latency', instance: 'bot-1', link: 'market-ws', atMs: 0, params: { durationMs: 60_000, latencyMs: 10 } },
    ]);
    const ends: string[] = [];
    recorder.subscribe((e) => {
      if (e.type === 'fault.end') ends.push(String((e.data as { healedBy: string }).healedBy));
    });
    const done = driver.run(performance.now(), ctrl.signal);
    await new Promise((r) => setTimeout(r, 50));
    expect(driver.activeCount).toBe(1);
    ctrl.abort(new AbortedError('SIGINT'));
    await expect(done).rejects.toBeInstanceOf(AbortedError);
    await driver.healAll();
    await driver.healAll();
    expect(ends).toEqual(['teardown']);
    expect(log).toEqual(['add latency', 'remove']);
  });
});
