import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * symbol-filters-quarter-step through the real CLI: the bot trades QTRUSDT (tickSize 0.5, stepSize
 * 0.25). With only the quantize-to-step flaw its quantities keep two decimals but are off the 0.25
 * grid and the venue refuses them (-4023); hardened floors to a multiple and is accepted.
 */
const FINDING = '003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with';
const CHECK = 'orders-respect-filters';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-quarter-step-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const onGrid = (qty: string) => Math.round(Number(qty) * 100) % 25 === 0;

describe(`symbol-filters-quarter-step on refbot (${FINDING})`, () => {
  it('with only quantize-to-step the venue refuses off-grid quantities', async () => {
    const r = await runScenario({ scenario: 'symbol-filters-quarter-step', profile: 'hardened', flaws: 'quantize-to-step', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(checks.filter((c) => c.name !== CHECK && c.valid === false)).toEqual([]);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    expect(check?.violations.length).toBeGreaterThan(0);
    for (const v of check?.violations ?? []) {
      const reject = bySeq.get(v.evidence[0] as number);
      expect(reject?.type).toBe('order.reject');
      const d = reject?.data as { code: number; symbol: string; qty: string };
      expect(d.code).toBe(-4023);
      expect(d.symbol).toBe('QTRUSDT');
      expect(onGrid(d.qty)).toBe(false);
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened sends only multiples of 0.25, all accepted', async () => {
    const r = await runScenario({ scenario: 'symbol-filters-quarter-step', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(true);
    expect(check?.stats.accepted).toBeGreaterThan(2);
    expect(check?.stats.filterRejects).toBe(0);
    const orders = r.events.filter((e) => e.type === 'order.new').map((e) => e.data as OrderNewData);
    expect(orders.every((o) => o.symbol === 'QTRUSDT' && onGrid(o.qty))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
