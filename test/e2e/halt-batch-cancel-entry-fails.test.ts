import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * halt-batch-cancel-entry-fails through the real CLI: three of refbot's own orders rest (left by an
 * earlier process), the operator halts it, and the first cancel fails inside a batch
 * (003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads). With
 * batch-cancel-shape-mismatch the bot counts the batch as done and one order keeps working;
 * hardened reads each entry and cancels the failed one again.
 */
const SEED = 59;
const CHECK = 'halt-cancels-working';
const FINDING = '003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-batch-cancel-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'halt-batch-cancel-entry-fails', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const batches = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/batchOrders');

describe(`halt-batch-cancel-entry-fails on refbot (${FINDING})`, () => {
  it('batch-cancel-shape-mismatch: the failed entry goes unread and its order keeps working behind the halt', async () => {
    const r = await run('batch-cancel-shape-mismatch');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [, order, halt] = evidenceEvents(r, check);
    const refused = r.events.find((e) => e.type === 'cancel.refuse');
    expect(refused?.data).toMatchObject({ via: 'batch', code: -1001 });
    expect(order?.type).toBe('order.new');
    expect(order?.data.clientOrderId).toBe(refused?.data.clientOrderId);
    expect(halt?.data.probe).toBe('halt');
    expect(batches(r)).toHaveLength(1);
    const log = readFileSync(join(r.runDir, 'halt-batch-cancel-entry-fails', 'bot-1', 'stderr.log'), 'utf8');
    expect(log).toMatch(/3 working order\(s\) cancelled, confirmed by the venue/); // what it believed
  });

  it('hardened: one batch for the three, the failed entry cancelled again, all ended within the bound', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.workingAtHalt).toBeGreaterThanOrEqual(3);
    expect(check.stats.endedInTime).toBe(check.stats.workingAtHalt);
    expect(batches(r)).toHaveLength(1);
    expect(r.events.filter((e) => e.type === 'cancel.refuse')).toHaveLength(1);
    const prefixOrders = r.events.find((e) => e.type === 'predecessor.orders');
    expect(((prefixOrders?.data.orders ?? []) as { clientOrderId: string }[]).map((o) => o.clientOrderId)).toEqual([
      expect.stringMatching(/^rb-bot-1-p1-/),
      expect.stringMatching(/^rb-bot-1-p2-/),
      expect.stringMatching(/^rb-bot-1-p3-/),
    ]);
  });
});
