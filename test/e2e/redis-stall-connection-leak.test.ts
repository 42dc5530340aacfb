import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * redis-stall-connection-leak through the real CLI: Redis answers nothing for 10 s, so refbot's
 * leader-lock renewals time out. With only redis-reconnect-leaks-connection every timed-out
 * connection is abandoned open and the sampled fd count climbs
 * (002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client); hardened closes each
 * one and its fds stay flat.
 */
const FINDING = '002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client';
const CHECK = 'bounded-resources';
const SEED = 41;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-redis-stall-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'redis-stall-connection-leak', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
type Run = Awaited<ReturnType<typeof run>>;
const paused = (r: Run) => r.events.find((e) => e.src === 'redis' && e.type === 'paused');

describe(`redis-stall-connection-leak on refbot (${FINDING})`, () => {
  it('with only redis-reconnect-leaks-connection the open fds climb while Redis stalls', async () => {
    const r = await run('redis-reconnect-leaks-connection');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const fd = check.violations.filter((v) => /fds grew/.test(v.message));
    expect(fd).toHaveLength(1);
    expect(check.violations.filter((v) => /RSS grew|threads grew/.test(v.message))).toEqual([]);
    const [peak, base] = evidenceEvents(r, check, check.violations.indexOf(fd[0] as (typeof check.violations)[number]));
    expect([peak?.type, base?.type]).toEqual(['resources', 'resources']);
    expect((peak?.data.fds as number) - (base?.data.fds as number)).toBeGreaterThan(3);
    // The growth came with the stall: Redis was paused before the peak sample, not before the baseline.
    expect(paused(r)?.seq).toBeGreaterThan(base?.seq as number);
    expect(paused(r)?.seq).toBeLessThan(peak?.seq as number);
  });

  it('hardened closes every timed-out connection and its fds stay flat', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.series).toBe(1);
    expect(check.stats.samples).toBeGreaterThanOrEqual(10);
    expect(check.stats.maxFdGrowth).toBeLessThanOrEqual(1);
    // Not vacuous: Redis did stall, long enough for several renewals to time out.
    expect(paused(r)?.data.durationMs).toBe(10_000);
    expect(r.events.some((e) => e.src === 'redis' && e.type === 'unpaused')).toBe(true);
  });
});
