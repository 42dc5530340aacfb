import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectOnlyCheckFails } from './verdicts.ts';

/**
 * control-api-hostile-requests with only control-errors-not-logged: refbot answers the battery as
 * hardened does but logs none of it, so control-api-hardened fails on T-L9 alone
 * (000_2ae31cbfe79758d1.txt#T-L9). The hardened run of this scenario (errors logged, not vacuous)
 * is in control-api-hostile-requests.test.ts.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#T-L9';
const SEED = 11;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-control-log-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`control API error logging on refbot (${FINDING})`, () => {
  it('control-errors-not-logged leaves refused requests without a trace', async () => {
    const r = await runScenario({ scenario: 'control-api-hostile-requests', profile: 'hardened', flaws: 'control-errors-not-logged', seed: SEED, reportsDir });
    const check = expectOnlyCheckFails(r, 'control-api-hardened', FINDING);
    // Every violation is T-L9: the answers themselves were hardened.
    expect(check.violations.every((v) => v.message.includes('#T-L9'))).toBe(true);
    expect(check.stats).toMatchObject({ errorKinds: 6, errorKindsLogged: 0, refusedUnauthorized: 2, docsRefused: 2 });
    const [request, scan] = evidenceEvents(r, check);
    expect(request?.data).toMatchObject({ name: 'unauthenticated', method: 'POST', path: '/halt', status: 401 });
    expect(scan?.type).toBe('output.scan');
    expect(scan?.data.matched).toBe(0);
    expect(r.events.filter((e) => e.type === 'output.line')).toEqual([]);
  });
});
