import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * kline-warmup-slow-after-reconnect through the real CLI: GET /fapi/v1/klines answers 2.5 s late
 * while the market stream drops and reconnects, which re-runs refbot's warmup. With
 * blocking-kline-warmup (001_0474a2fd1532b929.txt#M3) the warmup's blocking call freezes the event
 * loop; hardened warms up asynchronously and gives up after 1 s.
 */
const SEED = 5;
const CHECK = 'loop-never-stalls';
const FINDING = '001_0474a2fd1532b929.txt#M3';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kline-warmup-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kline-warmup-slow-after-reconnect', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const klines = (e: { type: string; data: Record<string, unknown> }) => e.type === 'http.request' && e.data.path === '/fapi/v1/klines';

describe(`kline-warmup-slow-after-reconnect on refbot (${FINDING})`, () => {
  it('blocking-kline-warmup freezes the loop while klines is slow', async () => {
    const r = await run('blocking-kline-warmup');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [after, before, ...faults] = evidenceEvents(r, check);
    expect(after?.data.probe).toBe('heartbeat');
    expect(before?.data.probe).toBe('heartbeat');
    expect((after?.t as number) - (before?.t as number)).toBeGreaterThan(2000);
    expect(faults.map((f) => f.data.kind)).toContain('rest-slow');
    // The stall is the warmup: a klines request answered inside the gap, after the reconnect.
    const up = r.events.filter((e) => e.data.probe === 'ws' && e.data.stream === 'market' && e.data.state === 'up').at(-1);
    expect(up && up.t < (after?.t as number)).toBe(true);
    expect(r.events.some((e) => klines(e) && e.t > (before?.t as number) && e.t <= (after?.t as number) + 100)).toBe(true);
  });

  it('hardened keeps beating through the slow warmup', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.heartbeatsDuringFaults).toBeGreaterThan(30);
    expect(check.stats.maxGapMs).toBeLessThanOrEqual(1000);
    // Not vacuous: the market stream really reconnected and the warmup really met the slow endpoint.
    const slow = r.events.find((e) => e.type === 'fault.start' && e.data.kind === 'rest-slow');
    const ups = r.events.filter((e) => e.data.probe === 'ws' && e.data.stream === 'market' && e.data.state === 'up');
    expect(ups.some((e) => e.t > (slow?.t as number))).toBe(true);
    expect(r.events.filter(klines).length).toBeGreaterThanOrEqual(2);
    expect(r.events.filter((e) => e.type === 'order.new').length).toBeGreaterThan(5);
  });
});
