import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * halt-while-filling-cancel-fails through the real CLI: the operator halts refbot while its first
 * order fills slice by slice, and the venue refuses cancels for a second. With halt-cancel-unverified
 * (003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without) refbot reports the
 * cancel done after one refused try and the order fills on; hardened retries until the venue
 * confirms.
 */
const SEED = 29;
const CHECK = 'halt-cancels-working';
const FINDING = '003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-halt-cancel-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'halt-while-filling-cancel-fails', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const refusedCancel = (e: { type: string; data: Record<string, unknown> }) =>
  e.type === 'http.request' && e.data.method === 'DELETE' && e.data.path === '/fapi/v1/order' && e.data.status === 503;

describe(`halt-while-filling-cancel-fails on refbot (${FINDING})`, () => {
  it('halt-cancel-unverified leaves the order filling after the halt', async () => {
    const r = await run('halt-cancel-unverified');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.stats.fillsAfterBound).toBeGreaterThan(0);
    const [fill, order, halt, fault] = evidenceEvents(r, check);
    expect(fill?.type).toBe('order.fill');
    expect(order?.type).toBe('order.new');
    expect(halt?.data.probe).toBe('halt');
    expect(fault?.type).toBe('fault.start');
    expect(r.events.filter(refusedCancel)).toHaveLength(1); // one try, refused, never repeated
  });

  it('hardened retries the refused cancel until the venue confirms it', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats).toMatchObject({ workingAtHalt: 1, endedInTime: 1, leftWorking: 0 });
    // Not vacuous: its first cancels were refused, and the order ended by a cancel, not by filling up.
    expect(r.events.filter(refusedCancel).length).toBeGreaterThanOrEqual(1);
    expect(r.events.some((e) => e.type === 'order.cancel' && e.data.clientOrderId === 'rb-bot-1-1')).toBe(true);
  });
});
