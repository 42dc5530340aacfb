import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * The second S-C2 scenario: market data goes silent with the socket open (venue-market-pause). A
 * bot that only reacts to disconnects keeps trading on its last price; one that ages its prices
 * stops opening risk. Also runs the `smoke` suite by name, so suites stay wired.
 */
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-silent-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe('market-data-silent-stale-prices on refbot (000_2ae31cbfe79758d1.txt#S-C2)', () => {
  it('naive trades on a silent feed: violation, evidence inside the pause', async () => {
    const r = await runScenario({ scenario: 'market-data-silent-stale-prices', profile: 'naive', seed: 11, reportsDir });
    expect(r.code, r.stderr).toBe(1);
    const start = r.events.find((e) => e.type === 'fault.start');
    expect(start?.data.impairs).toEqual(['market-data']);
    // No disconnect happened: the market socket stayed open throughout the pause.
    const end = r.events.find((e) => e.type === 'fault.end');
    expect(r.events.some((e) => e.type === 'ws.close' && e.t > (start?.t ?? 0) && e.t < (end?.t ?? 0))).toBe(false);
    const v = r.summary.scenarios[0]?.checks[0]?.violations ?? [];
    expect(v.length).toBeGreaterThan(0);
    for (const x of v) expect(x.t).toBeGreaterThan(start?.t ?? 0);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('the smoke suite runs every smoke scenario against hardened refbot and passes', async () => {
    const r = await runScenario({ scenario: 'smoke', profile: 'hardened', seed: 11, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.scenarios.map((s) => [s.id, s.verdict])).toEqual([
      ['market-data-silent-stale-prices', 'pass'],
      ['rest-ack-lost-duplicate-orders', 'pass'],
      ['venue-clock-skew-fails-closed', 'pass'],
      ['ws-disconnect-stale-prices', 'pass'],
    ]);
    expect(leftovers(r.events)).toEqual([]);
  });
});
