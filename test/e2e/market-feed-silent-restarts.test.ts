import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * market-feed-silent-restarts through the real CLI: the market socket stays open but silent for
 * 14 s, so refbot's feed watchdog restarts the stream several times. With only the
 * leak-session-on-restart flaw every restart leaves the old session's socket open and the sampled
 * fd count climbs; hardened closes the old stream and its fds stay flat.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#H-ADAPTER-02';
const CHECK = 'bounded-resources';
const SEED = 11;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-silent-restarts-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`market-feed-silent-restarts on refbot (${FINDING})`, () => {
  it('with only leak-session-on-restart the open fds grow with every restart', async () => {
    const r = await runScenario({ scenario: 'market-feed-silent-restarts', profile: 'hardened', flaws: 'leak-session-on-restart', seed: SEED, reportsDir });
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
    expect((peak?.data.fds as number) - (base?.data.fds as number)).toBeGreaterThan(3);
    // The growth came with the restarts: more market connections were opened than closed.
    const opened = r.events.filter((e) => e.type === 'ws.open' && e.data.kind === 'market' && e.t < (peak?.t as number)).length;
    const closed = r.events.filter((e) => e.type === 'ws.close' && e.data.kind === 'market' && e.t < (peak?.t as number)).length;
    expect(opened - closed).toBeGreaterThan(3);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened restarts the stream as often and keeps its fds flat', async () => {
    const r = await runScenario({ scenario: 'market-feed-silent-restarts', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(true);
    expect(check?.stats.samples).toBeGreaterThanOrEqual(10);
    expect(check?.stats.marketConnects).toBeGreaterThanOrEqual(4); // the watchdog did restart it
    expect(check?.stats.maxFdGrowth).toBeLessThanOrEqual(3);
    expect(leftovers(r.events)).toEqual([]);
  });
});
