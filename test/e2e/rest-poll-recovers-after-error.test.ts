import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * rest-poll-recovers-after-error through the real CLI: GET /fapi/v1/ticker/bookTicker (refbot's REST
 * mid check, every 1 s) answers 503 for 1.5 s. With slow-mode-after-fetch-failure
 * (004_8a8a9a4995486b8f.txt#H-SERV-02) the first failure slows the poll to every 5 s for good;
 * hardened is back to every second once the venue answers.
 */
const SEED = 5;
const CHECK = 'outbound-discipline';
const FINDING = '004_8a8a9a4995486b8f.txt#H-SERV-02';
const PATH = '/fapi/v1/ticker/bookTicker';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-poll-recovers-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'rest-poll-recovers-after-error', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`rest-poll-recovers-after-error on refbot (${FINDING})`, () => {
  it('slow-mode-after-fetch-failure never returns to its polling cadence', async () => {
    const r = await run('slow-mode-after-fetch-failure');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations).toHaveLength(1);
    const [late, before, failure, start] = evidenceEvents(r, check);
    const heal = r.events.find((e) => e.type === 'fault.end' && e.data.kind === 'rest-error');
    expect(late?.t).toBeGreaterThan((heal?.t as number) + 3000);
    expect(before?.data).toMatchObject({ method: 'GET', path: PATH, status: 200 });
    expect((late?.t as number) - (before?.t as number)).toBeGreaterThan(3000);
    expect(failure?.data).toMatchObject({ method: 'GET', path: PATH, status: 503 });
    expect(start?.type).toBe('fault.start');
    expect(start?.data.kind).toBe('rest-error');
    expect(check.stats.recoveryBaselineMs).toBeLessThan(1300);
  });

  it('hardened polls at its cadence again after the heal', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.recoveryEndpointsJudged).toBe(1);
    expect(check.stats.recoveryMaxGapAfterHealMs).toBeLessThan(1500);
    // Not vacuous: the poll failed during the fault and went on after it.
    const heal = r.events.find((e) => e.type === 'fault.end' && e.data.kind === 'rest-error');
    const polls = r.events.filter((e) => e.type === 'http.request' && e.data.path === PATH);
    expect(polls.some((e) => e.data.status === 503)).toBe(true);
    expect(polls.filter((e) => e.t > (heal?.t as number)).length).toBeGreaterThanOrEqual(8);
  });
});
