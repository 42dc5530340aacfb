import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * risk-guard-inputs-fail-closed through the real CLI: GET /fapi/v1/income fails while the
 * restarted refbot seeds its daily-loss guard, later GET /fapi/v2/balance fails under its drawdown
 * check. With drawdown-check-fails-open the balance failure is a warning and the entry goes out
 * (003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal); hardened opens no
 * risk until the failed input is read again.
 */
const FINDING = '003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal';
const SEED_FINDING = '003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed';
const SEED = 13;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-guards-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'risk-guard-inputs-fail-closed', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const reads = (events: HistoryEvent[], path: string) => events.filter((e) => e.type === 'http.request' && e.data.path === path);

describe(`risk-guard-inputs-fail-closed on refbot (${FINDING})`, () => {
  it('drawdown-check-fails-open trades while the balance cannot be read', async () => {
    const r = await run('drawdown-check-fails-open');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.name !== 'guards-fail-closed' && c.valid === false)).toEqual([]);
    const check = checks.find((c) => c.name === 'guards-fail-closed');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    for (const v of check?.violations ?? []) {
      const [orderSeq, failedSeq, faultSeq] = v.evidence;
      const order = bySeq.get(orderSeq as number);
      const failed = bySeq.get(failedSeq as number);
      expect(order?.type).toBe('order.new');
      expect(order?.data.reduceOnly).toBe(false);
      expect(failed?.type).toBe('http.request');
      expect(failed?.data).toMatchObject({ method: 'GET', path: '/fapi/v2/balance', status: 503 });
      expect(bySeq.get(faultSeq as number)?.type).toBe('fault.start');
      // No successful balance read between the failure and the order.
      const between = reads(r.events, '/fapi/v2/balance').filter((e) => e.seq > (failed?.seq as number) && e.seq < (order?.seq as number));
      expect(between.every((e) => e.data.status !== 200)).toBe(true);
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('loss-seed-fails-open takes the failed income fetch for a seed and trades after the restart', async () => {
    const r = await run('loss-seed-fails-open');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.name !== 'guards-fail-closed' && c.valid === false)).toEqual([]);
    const check = checks.find((c) => c.name === 'guards-fail-closed');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(SEED_FINDING);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const restart = r.events.filter((e) => e.type === 'target.start')[1];
    const [orderSeq, failedSeq] = check?.violations[0]?.evidence ?? [];
    const order = bySeq.get(orderSeq as number);
    const failed = bySeq.get(failedSeq as number);
    expect(order?.type).toBe('order.new');
    expect(order?.data.reduceOnly).toBe(false);
    expect(failed?.data).toMatchObject({ method: 'GET', path: '/fapi/v1/income', status: 503 });
    // The restarted process seeded during the outage and never read the income again before trading.
    expect(failed?.seq).toBeGreaterThan(restart?.seq as number);
    expect(reads(r.events, '/fapi/v1/income').filter((e) => e.seq > (failed?.seq as number) && e.seq < (order?.seq as number))).toEqual([]);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened opens no risk while a guard input is unreadable and trades again once it is read', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'guards-fail-closed');
    expect(check?.valid).toBe(true);
    expect(check?.stats.riskWhileUnreadable).toBe(0);
    // Not vacuous: both inputs failed, and the bot traded before, between and after the outages.
    expect(reads(r.events, '/fapi/v1/income').some((e) => e.data.status === 503)).toBe(true);
    expect(reads(r.events, '/fapi/v2/balance').some((e) => e.data.status === 503)).toBe(true);
    const ends = r.events.filter((e) => e.type === 'fault.end' && e.data.kind === 'rest-error');
    const risk = r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false);
    expect(risk.some((e) => e.seq > (ends.at(-1)?.seq as number))).toBe(true);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'halt' && e.data.reason === 'guard-input')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
