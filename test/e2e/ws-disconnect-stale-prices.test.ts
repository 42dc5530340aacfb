import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, type RunArtifacts, runScenario } from './cli-run.ts';

/**
 * The walking skeleton's acceptance: the S-C2 scenario fails on the naive refbot and passes on
 * the hardened one, through the real CLI on the local runtime, the same verdict every time, and
 * nothing is left behind after any run.
 */
const REPEAT = Number(process.env.FAULTLINE_E2E_REPEAT ?? 3);
const SEED = 4242;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-ws-disconnect-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

async function runProfile(profile: string, seed = SEED): Promise<RunArtifacts & { code: number | null; stdout: string; stderr: string }> {
  return runScenario({ scenario: 'ws-disconnect-stale-prices', profile, seed, reportsDir });
}

const naiveRuns: RunArtifacts[] = [];

describe('ws-disconnect-stale-prices on refbot (000_2ae31cbfe79758d1.txt#S-C2)', () => {
  it.each(Array.from({ length: REPEAT }, (_, i) => i + 1))('naive profile violates the invariant with evidence (run %i)', async () => {
    const r = await runProfile('naive');
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary.verdict).toBe('fail');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'no-risk-on-stale-market-data');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain('000_2ae31cbfe79758d1.txt#S-C2');
    // Every violation points at a real risk-increasing order recorded while the market link was cut.
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const faultStart = r.events.find((e) => e.type === 'fault.start');
    const faultEnd = r.events.find((e) => e.type === 'fault.end');
    expect(faultStart && faultEnd).toBeTruthy();
    for (const v of check?.violations ?? []) {
      const order = bySeq.get(v.evidence[0] as number);
      expect(order?.type).toBe('order.new');
      expect((order?.data as { reduceOnly?: boolean } | undefined)?.reduceOnly).toBe(false);
      expect(order?.t).toBeGreaterThan(faultStart?.t as number);
    }
    // The bot's own probes confirm why: it priced those orders from the entry-price fallback.
    expect(r.events.some((e) => e.type === 'probe' && (e.data as { priceSource?: string }).priceSource === 'entry-fallback')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
    expect(r.stdout).toMatch(/^report: /m);
    naiveRuns.push(r);
  });

  it.each(Array.from({ length: REPEAT }, (_, i) => i + 1))('hardened profile keeps the invariant and is not vacuous (run %i)', async () => {
    const r = await runProfile('hardened');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks[0];
    expect(check?.valid).toBe(true);
    expect(check?.stats.riskIncreasing).toBeGreaterThan(0);
    expect(check?.stats.staleWindows).toBeGreaterThanOrEqual(1);
    // It declined to open risk during the outage, and said so.
    expect(r.events.some((e) => e.type === 'probe' && (e.data as { probe: string }).probe === 'skip')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('same seed, same price path and fault schedule across real runs', async () => {
    while (naiveRuns.length < 2) naiveRuns.push(await runProfile('naive'));
    const ticks = (r: RunArtifacts) =>
      r.events
        .filter((e) => e.type === 'tick')
        .map((e) => {
          const d = e.data as { i: number; bid: string; ask: string };
          return `${d.i}:${d.bid}/${d.ask}`;
        });
    const schedule = (r: RunArtifacts) => JSON.stringify(r.events.find((e) => e.type === 'scenario.start')?.data.schedule);
    const [a, b] = naiveRuns as [RunArtifacts, RunArtifacts];
    const n = Math.min(ticks(a).length, ticks(b).length);
    expect(n).toBeGreaterThan(40);
    expect(ticks(a).slice(0, n)).toEqual(ticks(b).slice(0, n));
    expect(schedule(a)).toBe(schedule(b));
    expect(a.summary.scenarios[0]?.schedule).toEqual(b.summary.scenarios[0]?.schedule);
  });

  it('a different seed moves the fault and the prices', async () => {
    const r = await runProfile('naive', SEED + 1);
    const a = naiveRuns[0] as RunArtifacts;
    expect(JSON.stringify(r.summary.scenarios[0]?.schedule)).not.toBe(JSON.stringify(a.summary.scenarios[0]?.schedule));
    const firstTicks = (x: RunArtifacts) =>
      JSON.stringify(
        x.events
          .filter((e) => e.type === 'tick')
          .slice(1, 20)
          .map((e) => e.data.bid),
      );
    expect(firstTicks(r)).not.toBe(firstTicks(a));
  });
});
