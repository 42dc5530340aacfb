import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * listen-key-expired-reconnect through the real CLI: the venue expires refbot's listen key after
 * its 2nd accepted order. With flaw no-reconnect-on-listen-key-expired it stays on the dead
 * socket and trades blind; hardened reconnects with a new key and re-fetches before new risk.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#S-M4';
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-listen-key-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe('listen-key-expired-reconnect on refbot', () => {
  it('flaw no-reconnect-on-listen-key-expired trades on a dead user stream', async () => {
    const r = await runScenario({
      scenario: 'listen-key-expired-reconnect',
      profile: 'hardened',
      flaws: 'no-reconnect-on-listen-key-expired',
      seed: SEED,
      reportsDir,
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === 'private-state-refetched');
    expect(check?.valid).toBe(false);
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual(['private-state-refetched']);
    expect(check?.stats.tradedWhileDown).toBeGreaterThan(0);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    for (const v of check?.violations ?? []) {
      expect(v.message).toContain(FINDING);
      const [orderSeq, gapSeq] = v.evidence as [number, number];
      expect(bySeq.get(orderSeq)?.type).toBe('order.new');
      expect(bySeq.get(gapSeq)?.type).toBe('listenKey.expired');
      // No user-data connection was opened between the expiry and the order.
      expect(r.events.some((e) => e.seq > gapSeq && e.seq < orderSeq && e.type === 'ws.open' && e.data.kind === 'user')).toBe(false);
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened reconnects with a new key and re-fetches before new risk', async () => {
    const r = await runScenario({ scenario: 'listen-key-expired-reconnect', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'private-state-refetched');
    expect(check?.valid).toBe(true);
    expect(check?.stats.judged).toBeGreaterThanOrEqual(1);
    expect(check?.stats.refetched).toBe(check?.stats.judged);
    const expired = r.events.find((e) => e.src === 'venue' && e.type === 'listenKey.expired');
    expect(expired).toBeDefined();
    // A fresh key, then a new user-data connection after the expiry.
    expect(r.events.some((e) => e.seq > (expired?.seq ?? 0) && e.type === 'listenKey.create' && e.data.reused === false)).toBe(true);
    expect(r.events.some((e) => e.seq > (expired?.seq ?? 0) && e.type === 'ws.open' && e.data.kind === 'user')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
