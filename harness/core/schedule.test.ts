import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/ws-disconnect-stale-prices.ts';
import type { Scenario } from './scenario.ts';
import { buildSchedule } from './schedule.ts';

describe('buildSchedule', () => {
  it('is identical, byte for byte, for the same seed', () => {
    expect(JSON.stringify(buildSchedule(scenario, 12345))).toBe(JSON.stringify(buildSchedule(scenario, 12345)));
  });

  it('draws random times inside the window and differs across seeds', () => {
    const times = new Set<number>();
    for (let seed = 1; seed <= 50; seed++) {
      const [f] = buildSchedule(scenario, seed);
      expect(f?.atMs).toBeGreaterThanOrEqual(5000);
      expect(f?.atMs).toBeLessThanOrEqual(7000);
      times.add(f?.atMs as number);
    }
    expect(times.size).toBeGreaterThan(10);
  });

  it('expands "all" to every instance and keeps fixed times', () => {
    const s: Scenario = { ...scenario, instances: 2, faults: [{ kind: 'ws-disconnect', link: 'market-ws', at: 1000, params: { durationMs: 500 } }] };
    const sched = buildSchedule(s, 1);
    expect(sched.map((f) => [f.id, f.instance, f.atMs])).toEqual([
      ['f1', 'bot-1', 1000],
      ['f2', 'bot-2', 1000],
    ]);
  });
});

describe('buildSchedule with triggers', () => {
  const s: Scenario = {
    ...scenario,
    faults: [
      { kind: 'link-stall', link: 'market-ws', on: { event: 'order.accepted', nth: 3 }, params: { durationMs: 500 } },
      { kind: 'ws-disconnect', link: 'market-ws', at: { minMs: 1000, maxMs: 9000 }, params: { durationMs: 500 } },
    ],
  };
  it('keeps triggers after timed faults, fills defaults, and stays byte-identical per seed', () => {
    const a = buildSchedule(s, 99);
    expect(a.map((f) => [f.kind, f.atMs !== undefined, f.trigger])).toEqual([
      ['ws-disconnect', true, undefined],
      ['link-stall', false, { event: 'order.accepted', nth: 3, delayMs: 0 }],
    ]);
    expect(JSON.stringify(buildSchedule(s, 99))).toBe(JSON.stringify(a));
  });
  it('draws the same time for a timed fault whether or not a triggered one precedes it', () => {
    const timedOnly: Scenario = {
      ...s,
      faults: [{ kind: 'link-stall', link: 'market-ws', at: 0, params: { durationMs: 1 } }, s.faults[1] as Scenario['faults'][number]],
    };
    expect(buildSchedule(s, 5).find((f) => f.kind === 'ws-disconnect')?.atMs).toBe(buildSchedule(timedOnly, 5).find((f) => f.kind === 'ws-disconnect')?.atMs);
  });
});
