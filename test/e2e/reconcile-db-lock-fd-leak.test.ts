import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * reconcile-db-lock-fd-leak through the real CLI: refbot's journal is locked for 12 s, so its
 * fill-reconciliation passes fail. With only reconcile-leaks-db-connection each failed pass leaves
 * its SQLite connection open and the sampled fd count climbs during the lock; hardened closes the
 * connection on every path and its fds stay flat.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#E-C2';
const CHECK = 'bounded-resources';
const SEED = 19;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-reconcile-fd-leak-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`reconcile-db-lock-fd-leak on refbot (${FINDING})`, () => {
  it('with only reconcile-leaks-db-connection the open fds grow while the journal is locked', async () => {
    const r = await runScenario({ scenario: 'reconcile-db-lock-fd-leak', profile: 'hardened', flaws: 'reconcile-leaks-db-connection', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(checks.filter((c) => c.name !== CHECK && c.valid === false)).toEqual([]);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const fdViolations = (check?.violations ?? []).filter((v) => /fds grew/.test(v.message));
    expect(fdViolations.length).toBe(1);
    const [peakSeq, baseSeq] = (fdViolations[0]?.evidence ?? []) as [number, number];
    const peak = bySeq.get(peakSeq);
    const base = bySeq.get(baseSeq);
    expect([peak?.type, base?.type]).toEqual(['resources', 'resources']);
    expect((peak?.data.fds as number) - (base?.data.fds as number)).toBeGreaterThan(8);
    // The growth came with the lock: it was held (db lock.acquired) before the peak sample.
    const lock = r.events.find((e) => e.src === 'db' && e.type === 'lock.acquired');
    expect(lock).toBeDefined();
    expect(lock?.t as number).toBeLessThan(peak?.t as number);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened keeps its fds flat through the same lock', async () => {
    const r = await runScenario({ scenario: 'reconcile-db-lock-fd-leak', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(true);
    expect(check?.stats.samples).toBeGreaterThanOrEqual(10);
    expect(check?.stats.maxFdGrowth).toBeLessThanOrEqual(3);
    expect(r.events.some((e) => e.src === 'db' && e.type === 'lock.acquired')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
