import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * lock-file-aged-single-writer through the real CLI: two refbot instances share a folder and no
 * Redis, so their leader lock is a file; the harness ages it 10 minutes while its holder trades.
 * With file-lock-evicts-by-age (003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older)
 * the follower evicts it and both trade; hardened (a flock held for life) stays single-writer.
 */
const SEED = 17;
const CHECK = 'single-writer';
const FINDING = '003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-lock-file-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'lock-file-aged-single-writer', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
type Run = Awaited<ReturnType<typeof run>>;
const writers = (r: Run) => {
  const end = r.events.find((e) => e.type === 'scenario.window.end')?.t ?? Number.POSITIVE_INFINITY;
  return new Set(r.events.filter((e) => e.type === 'order.new' && e.t < end).map((e) => e.instance));
};

describe(`lock-file-aged-single-writer on refbot (${FINDING})`, () => {
  it('file-lock-evicts-by-age lets the follower take a live lock: both instances trade', async () => {
    const r = await run('file-lock-evicts-by-age');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [resumed, other, aged] = evidenceEvents(r, check);
    expect(resumed?.type).toBe('order.new');
    expect(other?.type).toBe('order.new');
    expect(other?.instance).not.toBe(resumed?.instance);
    expect(aged?.type).toBe('fault.start');
    expect(aged?.data.kind).toBe('file-lock-age');
    expect(writers(r)).toEqual(new Set(['bot-1', 'bot-2']));
    // Neither instance was given Redis: the lock really was the file.
    expect(r.events.some((e) => e.src === 'redis' && e.type === 'command' && e.instance !== undefined)).toBe(false);
  });

  it('hardened: the aged file lets nobody in, one instance trades throughout', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.ordersAfterDisruption).toBeGreaterThan(3);
    expect(check.stats.handovers).toBe(0);
    expect(writers(r).size).toBe(1);
    // Not vacuous: the file was aged while its holder ran, and the shared folder held it.
    const aged = r.events.find((e) => e.type === 'file.aged');
    expect(String(aged?.data.file)).toMatch(/\/shared\/refbot-leader-BTCUSDT\.lock$/);
    expect(existsSync(String(aged?.data.file))).toBe(true);
  });
});
