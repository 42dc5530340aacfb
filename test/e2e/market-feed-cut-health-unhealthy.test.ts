import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * market-feed-cut-health-unhealthy through the real CLI: a monitor polls refbot's GET /health while
 * the market stream is cut for 3 s. With health-always-ok (002_3e6ca2bf6dfde12d.txt#P3-3) the
 * endpoint says ok throughout; hardened says 503 market-data-stale once its prices are older than
 * maxPriceAgeMs, and ok again after the reconnect.
 */
const SEED = 13;
const CHECK = 'health-tells-truth';
const FINDING = '002_3e6ca2bf6dfde12d.txt#P3-3';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-health-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'market-feed-cut-health-unhealthy', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const answers = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'health.answer');

describe(`market-feed-cut-health-unhealthy on refbot (${FINDING})`, () => {
  it('health-always-ok says ok while the bot cannot see the market', async () => {
    const r = await run('health-always-ok');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.stats.falseHealthy).toBeGreaterThanOrEqual(5); // ~1.5 s of the cut at one request per 200 ms
    const [answer, start] = evidenceEvents(r, check);
    expect(answer?.type).toBe('health.answer');
    expect(answer?.data.status).toBe(200);
    expect(start?.type).toBe('fault.start');
    expect(start?.data.kind).toBe('ws-disconnect');
    expect(answers(r).every((e) => e.data.status === 200)).toBe(true);
  });

  it('hardened turns 503 market-data-stale during the cut and ok after it, without false alarms', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.judgedInside).toBeGreaterThanOrEqual(5);
    expect(check.stats.recoveries).toBe(1);
    expect(check.stats.falseAlarms).toBe(0);
    // Not vacuous: it said healthy before the cut, and named the reason during it.
    const a = answers(r);
    expect(a.some((e) => e.data.status === 200)).toBe(true);
    expect(a.some((e) => e.data.status === 503 && String(e.data.body).includes('market-data-stale'))).toBe(true);
  });
});
