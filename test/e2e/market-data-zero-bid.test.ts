import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * market-data-zero-bid through the real CLI: for 5 s the bot's bookTicker bid reads "0.0". With
 * only the no-price-sanity flaw the bot sizes orders off the halved mid (twice the size) while its
 * newest price is degenerate; hardened drops the price and opens risk only after a sane quote.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#M-ADAPTER-01';
const CHECK = 'no-orders-on-degenerate-data';
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-zero-bid-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`market-data-zero-bid on refbot (${FINDING})`, () => {
  it('with only no-price-sanity the bot opens risk on the zero bid', async () => {
    const r = await runScenario({ scenario: 'market-data-zero-bid', profile: 'hardened', flaws: 'no-price-sanity', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(checks.filter((c) => c.name !== CHECK && c.valid === false)).toEqual([]);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    expect(check?.violations.length).toBeGreaterThan(0);
    for (const v of check?.violations ?? []) {
      const [orderSeq, badSeq] = v.evidence as [number, number];
      const order = bySeq.get(orderSeq);
      const bad = bySeq.get(badSeq);
      expect(order?.type).toBe('order.new');
      expect(bad?.type).toBe('market.corrupt');
      expect(bad?.instance).toBe(order?.instance);
      expect((bad?.data as { values?: Record<string, string> } | undefined)?.values?.b).toMatch(/^0\.0*$/);
      expect(badSeq).toBeLessThan(orderSeq);
      // Sized off mid = ask / 2: about twice the 1000 USD the bot aims for.
      const o = order?.data as OrderNewData;
      expect(Number(o.qty) * 60_000).toBeGreaterThan(1500);
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened opens no risk until a sane quote arrives, and still trades after it', async () => {
    const r = await runScenario({ scenario: 'market-data-zero-bid', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(true);
    expect(check?.stats.corruptDeliveries).toBeGreaterThan(0);
    expect(check?.stats.judged).toBeGreaterThan(0);
    expect(check?.stats.onDegenerate).toBe(0);
    // The bot said why it stopped: its own probe, after the first corrupted message.
    const firstBad = r.events.find((e) => e.type === 'market.corrupt');
    const probe = r.events.find((e) => e.type === 'probe' && e.data.probe === 'degenerate');
    expect(probe?.seq).toBeGreaterThan(firstBad?.seq as number);
    expect(leftovers(r.events)).toEqual([]);
  });
});
