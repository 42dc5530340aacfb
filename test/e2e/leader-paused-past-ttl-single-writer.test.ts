import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * leader-paused-past-ttl-single-writer through the real CLI: two refbot instances share a Redis
 * leader lock and each is paused past the TTL at its 3rd order. With unfenced-leader-lock the
 * paused leader resumes and trades beside the new one; hardened stands by.
 */
const FINDING = '002_3e6ca2bf6dfde12d.txt#R8';
const SEED = 5;
const KEY = 'refbot:leader:BTCUSDT';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-leader-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`leader-paused-past-ttl-single-writer on refbot (${FINDING})`, () => {
  it('flaw unfenced-leader-lock alone lets two instances trade at once', async () => {
    const r = await runScenario({
      scenario: 'leader-paused-past-ttl-single-writer',
      profile: 'hardened',
      flaws: 'unfenced-leader-lock',
      seed: SEED,
      reportsDir,
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual(['single-writer']);
    const check = checks.find((c) => c.name === 'single-writer');
    expect(check?.findings).toContain(FINDING);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    for (const v of check?.violations ?? []) {
      const [orderSeq, holderSeq] = v.evidence;
      const order = bySeq.get(orderSeq as number);
      const holderSet = bySeq.get(holderSeq as number);
      if (!order || !holderSet) throw new Error(`evidence ${v.evidence.join(', ')} is not in the history`);
      // A real order of one instance, after a real SET NX of the other that made it the holder.
      expect(order.type).toBe('order.new');
      expect(holderSet.type).toBe('command');
      const args = holderSet.data.args as string[];
      expect([args[0], args[1], args[3]]).toEqual(['SET', KEY, 'NX']);
      expect(holderSet.instance).not.toBe(order.instance);
      expect(holderSet.seq).toBeLessThan(order.seq);
      expect(v.evidence.slice(2).some((s) => bySeq.get(s)?.data.kind === 'process-pause')).toBe(true);
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened keeps a single writer through both takeovers', async () => {
    const r = await runScenario({ scenario: 'leader-paused-past-ttl-single-writer', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'single-writer');
    expect(check?.valid).toBe(true);
    expect(check?.stats.ownerChanges).toBeGreaterThanOrEqual(1);
    expect(check?.stats.ordersAfterChange).toBeGreaterThan(0);
    // Both instances led at some point, and the paused one noticed it had lost the lock.
    const traded = new Set(r.events.filter((e) => e.type === 'order.new').map((e) => e.instance));
    expect(traded).toEqual(new Set(['bot-1', 'bot-2']));
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'leader' && e.data.state === 'lost')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});

describe(`leader-lock-stolen-single-writer on refbot (${FINDING})`, () => {
  it('flaw unfenced-leader-lock alone trades on under a stolen lock', async () => {
    const r = await runScenario({ scenario: 'leader-lock-stolen-single-writer', profile: 'hardened', flaws: 'unfenced-leader-lock', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual(['single-writer']);
    const check = checks.find((c) => c.name === 'single-writer');
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    expect(check?.violations.length).toBeGreaterThan(0);
    for (const v of check?.violations ?? []) {
      const order = bySeq.get(v.evidence[0] as number);
      const steal = bySeq.get(v.evidence[1] as number);
      if (!order || !steal) throw new Error(`evidence ${v.evidence.join(', ')} is not in the history`);
      expect(order.type).toBe('order.new');
      // The harness's own SET of the thief value (no instance: a foreign owner).
      expect(steal.type).toBe('command');
      expect(steal.instance).toBeUndefined();
      expect((steal.data.args as string[]).slice(0, 3)).toEqual(['set', KEY, 'faultline-thief']);
      expect(v.evidence.some((s) => bySeq.get(s)?.type === 'lock.tampered')).toBe(true);
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened stands by while the thief holds the key and trades again after', async () => {
    const r = await runScenario({ scenario: 'leader-lock-stolen-single-writer', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'single-writer');
    expect(check?.valid).toBe(true);
    expect(check?.stats.ownerChanges).toBeGreaterThanOrEqual(2); // to the thief, and back to an instance
    expect(check?.stats.ordersAfterChange).toBeGreaterThan(0);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'leader' && e.data.state === 'lost')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
