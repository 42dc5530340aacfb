import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * failed-exit-no-flip through the real CLI: refbot's first exit is rejected, so its next phase
 * finds the long still open. With flaw flip-without-reduce-only-exit one plain SELL closes it and
 * opens a short; hardened sends a reduce-only exit first and opens the short a tick later.
 */
const FINDING = '001_0474a2fd1532b929.txt#M2';
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-failed-exit-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe('failed-exit-no-flip on refbot', () => {
  it('flaw flip-without-reduce-only-exit flips the position with a plain order', async () => {
    const r = await runScenario({ scenario: 'failed-exit-no-flip', profile: 'hardened', flaws: 'flip-without-reduce-only-exit', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === 'exits-reduce-only');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toEqual([FINDING]);
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual(['exits-reduce-only']);
    expect(check?.stats.flips).toBeGreaterThan(0);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    for (const v of check?.violations ?? []) {
      const e = bySeq.get(v.evidence[0] as number);
      expect(e?.type).toBe('order.new');
      const o = e?.data as OrderNewData;
      const pos = Number(o.positionBefore);
      const after = pos + (o.side === 'BUY' ? 1 : -1) * Number(o.qty);
      expect(o.reduceOnly).toBe(false);
      expect(Math.sign(after)).toBe(-Math.sign(pos)); // through zero
    }
    // The exit before it was really rejected by the fault.
    expect(r.events.some((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/order' && e.data.status === 400)).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened closes reduce-only first and is not vacuous', async () => {
    const r = await runScenario({ scenario: 'failed-exit-no-flip', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'exits-reduce-only');
    expect(check?.valid).toBe(true);
    expect(check?.stats.exits).toBeGreaterThan(1);
    expect(r.events.some((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/order' && e.data.status === 400)).toBe(true);
    // After the rejected exit the next order is a reduce-only exit of the open long, not a flip.
    const rejectedAt = r.events.find((e) => e.type === 'http.request' && e.data.status === 400)?.seq ?? 0;
    const next = r.events.find((e) => e.seq > rejectedAt && e.type === 'order.new')?.data as OrderNewData | undefined;
    expect(next?.reduceOnly).toBe(true);
    expect(Number(next?.positionBefore)).toBeGreaterThan(0);
    expect(leftovers(r.events)).toEqual([]);
  });
});
