import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * partial-fills-position-drift through the real CLI: every order of refbot fills half and the
 * rest expires. With flaw book-order-qty-on-first-fill its ledger books whole orders and the
 * position it trades on drifts from the venue's; hardened follows the fills and snapshots.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#C-PORT-03';
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-partial-fills-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe('partial-fills-position-drift on refbot', () => {
  it('flaw book-order-qty-on-first-fill trades on a phantom position', async () => {
    const r = await runScenario({
      scenario: 'partial-fills-position-drift',
      profile: 'hardened',
      flaws: 'book-order-qty-on-first-fill',
      seed: SEED,
      reportsDir,
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === 'position-matches-venue');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual(['position-matches-venue']);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    expect(check?.violations.length).toBeGreaterThan(0);
    for (const v of check?.violations ?? []) {
      const probe = bySeq.get(v.evidence[0] as number);
      const venue = bySeq.get(v.evidence[1] as number);
      expect(probe?.type).toBe('probe');
      expect(probe?.data.probe).toBe('position');
      expect(['order.fill', 'order.new']).toContain(venue?.type);
      const venuePos = venue?.type === 'order.fill' ? venue.data.positionAfter : venue?.data.positionBefore;
      expect(Number(probe?.data.position)).not.toBe(Number(venuePos));
    }
    // The orders really filled only in part.
    expect(r.events.some((e) => e.type === 'order.fill' && e.data.status === 'PARTIALLY_FILLED')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened keeps its position equal to the venue and is not vacuous', async () => {
    const r = await runScenario({ scenario: 'partial-fills-position-drift', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'position-matches-venue');
    expect(check?.valid).toBe(true);
    expect(check?.stats.judged).toBeGreaterThan(3);
    expect(check?.stats.partialFills).toBeGreaterThan(3);
    expect(check?.stats.mismatches).toBe(0);
    expect(leftovers(r.events)).toEqual([]);
  });
});
