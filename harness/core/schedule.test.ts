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
