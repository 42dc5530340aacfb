import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * symbol-filters-refresh-race through the real CLI: refbot trades QTRUSDT (stepSize 0.25) and
 * re-reads its filters on market reconnects while GET /fapi/v1/exchangeInfo is slow. With only
 * filters-cache-cleared-on-refresh its ticks during the refresh read default filters (stepSize
 * 0.001) and the venue refuses the quantities; hardened keeps the old filters meanwhile.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#S-H1';
const CHECK = 'orders-respect-filters';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-refresh-race-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const onGrid = (qty: string) => Math.round(Number(qty) * 1000) % 250 === 0;

describe(`symbol-filters-refresh-race on refbot (${FINDING})`, () => {
  it('with only filters-cache-cleared-on-refresh, orders sized during the slow refresh are refused', async () => {
    const r = await runScenario({
      scenario: 'symbol-filters-refresh-race',
      profile: 'hardened',
      flaws: 'filters-cache-cleared-on-refresh',
      seed: SEED,
      reportsDir,
    });
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const refreshes = r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/exchangeInfo');
    for (let i = 0; i < check.violations.length; i++) {
      const [reject] = evidenceEvents(r, check, i);
      expect(reject?.type).toBe('order.reject');
      const d = reject?.data as { code: number; symbol: string; qty: string };
      expect(d.symbol).toBe('QTRUSDT');
      expect([-1111, -4023]).toContain(d.code);
      expect(onGrid(d.qty)).toBe(false);
      // Refused while a refresh was in flight: its (slow) answer is recorded after the reject.
      expect(refreshes.some((e) => e.seq > (reject?.seq ?? 0))).toBe(true);
    }
  });

  it('hardened keeps sending multiples of 0.25 through the slow refreshes', async () => {
    const r = await runScenario({ scenario: 'symbol-filters-refresh-race', profile: 'hardened', seed: SEED, reportsDir });
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.accepted).toBeGreaterThan(4);
    expect(check.stats.filterRejects).toBe(0);
    const orders = r.events.filter((e) => e.type === 'order.new').map((e) => e.data as OrderNewData);
    expect(orders.every((o) => o.symbol === 'QTRUSDT' && onGrid(o.qty))).toBe(true);
    // The refreshes really ran slow during trading.
    expect(r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/exchangeInfo').length).toBeGreaterThanOrEqual(3);
  });
});
