import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * kline-sync-beside-db-writer through the real CLI: another connection holds refbot's SQLite store
 * while a market reconnect re-runs its kline sync
 * (003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in). With
 * sync-writes-bypass-lock the sync writes on the event loop and the loop waits for the lock;
 * hardened queues the candles to the store's writer thread.
 */
const SEED = 61;
const CHECK = 'loop-never-stalls';
const FINDING = '003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kline-sync-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kline-sync-beside-db-writer', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const log = (r: Awaited<ReturnType<typeof run>>) => readFileSync(join(r.runDir, 'kline-sync-beside-db-writer', 'bot-1', 'stderr.log'), 'utf8');

describe(`kline-sync-beside-db-writer on refbot (${FINDING})`, () => {
  it('sync-writes-bypass-lock: the loop stops beating while the sync waits for the lock', async () => {
    const r = await run('sync-writes-bypass-lock');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations[0]?.message).toMatch(/event loop stalled for \d+ ms .* during sqlite-lock/);
    const evidence = evidenceEvents(r, check);
    expect(evidence.some((e) => e.type === 'fault.start' && e.data.kind === 'sqlite-lock')).toBe(true);
    expect(log(r)).toMatch(/kline warmup: 90 candle\(s\)/); // the sync did run during the lock
  });

  it('hardened: the loop keeps beating, and the sync ran again after the reconnect', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.heartbeats).toBeGreaterThan(20);
    const syncs = log(r).match(/kline warmup: 90 candle\(s\)/g) ?? [];
    expect(syncs.length).toBeGreaterThanOrEqual(2); // at start, and again after the reconnect
  });
});
