import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * clock-resync-slow-time-endpoint through the real CLI: the venue's clock is 5 s behind and its
 * server-time endpoint answers 3 s late. With blocking-clock-resync refbot's resync blocks its loop
 * (004_8a8a9a4995486b8f.txt#C-ADAPTER-02); hardened awaits it, keeps beating and still fails closed.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#C-ADAPTER-02';
const SEED = 46;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-clock-resync-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'clock-resync-slow-time-endpoint', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`clock-resync-slow-time-endpoint on refbot (${FINDING})`, () => {
  it('blocking-clock-resync freezes the loop while the time endpoint is slow', async () => {
    const r = await run('blocking-clock-resync');
    // Both checks of the scenario cite C-ADAPTER-02: the stall itself, and (often) the -1021s of the
    // requests that went out behind it with the old offset. Nothing else may fail.
    const check = expectOnlyCheckFails(r, 'loop-never-stalls', FINDING, ['clock-skew-fails-closed']);
    expect(check.violations[0]?.message).toMatch(/during .*rest-slow/);
    const [end, before] = evidenceEvents(r, check);
    expect(end?.t ?? 0).toBeGreaterThan((before?.t ?? 0) + 2500); // about the endpoint's 3 s delay
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened keeps its loop running through the slow resync and fails closed on the skew', async () => {
    const r = await run();
    const loop = expectCheckPasses(r, 'loop-never-stalls');
    expect(loop.stats.gapsJudged).toBeGreaterThan(50);
    expectCheckPasses(r, 'clock-skew-fails-closed');
    // Not vacuous: the bot re-synced against the slow endpoint while the skew lasted.
    const skew = r.events.find((e) => e.type === 'fault.start' && e.data.kind === 'venue-clock-skew');
    expect(r.events.some((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/time' && e.t > (skew?.t ?? Infinity))).toBe(true);
  });
});
