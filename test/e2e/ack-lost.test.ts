import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, type RunArtifacts, runScenario } from './cli-run.ts';

/**
 * rest-ack-lost-duplicate-orders through the real CLI on the local runtime: the venue executes
 * refbot's 3rd order and loses its answer. Naive re-sends it under a new clientOrderId (a second
 * execution of one intent); hardened finds out the order was placed and never sends it again.
 */
const FINDING = '003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry';
const REPEAT = Number(process.env.FAULTLINE_E2E_REPEAT_ACK_LOST ?? 1);
const SEED = 3;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-ack-lost-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

async function runProfile(profile: string): Promise<RunArtifacts & { code: number | null; stdout: string; stderr: string }> {
  return runScenario({ scenario: 'rest-ack-lost-duplicate-orders', profile, seed: SEED, reportsDir });
}

const runs = Array.from({ length: REPEAT }, (_, i) => i + 1);

describe(`rest-ack-lost-duplicate-orders on refbot (${FINDING})`, () => {
  it.each(runs)('naive profile executes the lost order twice (run %i)', async () => {
    const r = await runProfile('naive');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.summary.verdict).toBe('fail');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'one-order-per-intent');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(check?.violations.length).toBeGreaterThan(0);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    for (const v of check?.violations ?? []) {
      const [dupSeq, ambSeq, origSeq] = v.evidence as [number, number, number];
      const dup = bySeq.get(dupSeq);
      const amb = bySeq.get(ambSeq);
      const orig = bySeq.get(origSeq);
      if (!dup || !amb || !orig) throw new Error(`evidence ${v.evidence.join(', ')} is not in the history`);
      // Evidence: a real second order.new repeating the order whose outcome was ambiguous.
      expect(dup.type).toBe('order.new');
      expect(amb.type).toBe('order.ambiguous');
      expect(orig.type).toBe('order.new');
      const d = dup.data as OrderNewData;
      const o = orig.data as OrderNewData;
      expect((amb.data as { orderId: number }).orderId).toBe(o.orderId);
      expect([d.symbol, d.side, d.qty, d.reduceOnly]).toEqual([o.symbol, o.side, o.qty, o.reduceOnly]);
      expect(d.clientOrderId).not.toBe(o.clientOrderId);
      expect(dupSeq).toBeGreaterThan(ambSeq);
    }
    // The bot's own probes say why: the same intent, a second attempt under a new id.
    const retries = r.events.filter((e) => e.type === 'probe' && e.data.probe === 'intent' && e.data.attempt === 2);
    expect(retries.length).toBeGreaterThan(0);
    expect(leftovers(r.events)).toEqual([]);
    expect(r.stdout).toMatch(/^report: /m);
  });

  it.each(runs)('hardened profile keeps one order per intent and is not vacuous (run %i)', async () => {
    const r = await runProfile('hardened');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'one-order-per-intent');
    expect(check?.valid).toBe(true);
    expect(check?.stats.ambiguous).toBe(1);
    expect(check?.stats.judged).toBe(1);
    expect(check?.stats.laterOrders).toBeGreaterThan(0);
    expect(check?.stats.duplicates).toBe(0);
    expect(r.events.filter((e) => e.type === 'order.ambiguous')).toHaveLength(1);
    // It looked the order up by clientOrderId and found it placed, instead of re-sending it.
    const amb = r.events.find((e) => e.type === 'order.ambiguous');
    const lookup = r.events.find((e) => e.type === 'http.request' && e.data.method === 'GET' && e.data.path === '/fapi/v1/order');
    expect(lookup?.seq).toBeGreaterThan(amb?.seq as number);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'lookup' && e.data.outcome === 'placed')).toBe(true);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'intent' && e.data.attempt !== 1)).toBe(false);
    expect(leftovers(r.events)).toEqual([]);
  });
});
