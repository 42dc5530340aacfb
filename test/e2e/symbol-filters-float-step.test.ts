import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * symbol-filters-float-step through the real CLI: the bot trades DECUSDT (stepSize 0.1, quantity
 * precision 1) around 300. With only float-step-rounding its quantity 1000 / 300 floored in floats
 * prints as 3.3000000000000003 and the venue refuses it (-1111); hardened floors in Decimal and
 * sends 3.3.
 */
const FINDINGS = ['000_2ae31cbfe79758d1.txt#S-H2', '001_0474a2fd1532b929.txt#C7'];
const CHECK = 'orders-respect-filters';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-float-step-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const decimals = (q: string) => (q.split('.')[1] ?? '').length;

describe('symbol-filters-float-step on refbot', () => {
  it('with only float-step-rounding the venue refuses float-noise quantities (-1111)', async () => {
    const r = await runScenario({ scenario: 'symbol-filters-float-step', profile: 'hardened', flaws: 'float-step-rounding', seed: SEED, reportsDir });
    const check = expectOnlyCheckFails(r, CHECK);
    for (const f of FINDINGS) expect(check.findings).toContain(f);
    for (let i = 0; i < check.violations.length; i++) {
      const [reject] = evidenceEvents(r, check, i);
      expect(reject?.type).toBe('order.reject');
      const d = reject?.data as { code: number; symbol: string; qty: string };
      expect(d).toMatchObject({ code: -1111, symbol: 'DECUSDT' });
      expect(decimals(d.qty)).toBeGreaterThan(1);
      expect(Number(d.qty) * 10).toBeCloseTo(Math.round(Number(d.qty) * 10), 9); // a multiple of 0.1 but for float noise
    }
  });

  it('hardened sends one-decimal multiples of 0.1, all accepted', async () => {
    const r = await runScenario({ scenario: 'symbol-filters-float-step', profile: 'hardened', seed: SEED, reportsDir });
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.accepted).toBeGreaterThan(2);
    expect(check.stats.filterRejects).toBe(0);
    const orders = r.events.filter((e) => e.type === 'order.new').map((e) => e.data as OrderNewData);
    expect(orders.every((o) => o.symbol === 'DECUSDT' && decimals(o.qty) <= 1)).toBe(true);
  });
});
