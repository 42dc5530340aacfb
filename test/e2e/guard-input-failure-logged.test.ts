import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * guard-input-failure-logged through the real CLI: GET /fapi/v2/balance fails for 3 s. With
 * guard-input-failure-silent refbot stops new risk but logs nothing
 * (001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently); hardened logs one error
 * naming the endpoint.
 */
const FINDING = '001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently';
const SEED = 45;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-failures-logged-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'guard-input-failure-logged', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`guard-input-failure-logged on refbot (${FINDING})`, () => {
  it('guard-input-failure-silent runs into the failure and logs nothing', async () => {
    const r = await run('guard-input-failure-silent');
    const check = expectOnlyCheckFails(r, 'failures-logged', FINDING);
    const [request, scan, failure, scanStart] = evidenceEvents(r, check);
    expect(request).toMatchObject({ src: 'venue', type: 'http.request', instance: 'bot-1', data: { method: 'GET', path: '/fapi/v2/balance', status: 400 } });
    expect(scan?.type).toBe('output.scan');
    expect(scan?.data).toMatchObject({ matched: 0, windowMs: 5000 });
    expect(failure?.data).toMatchObject({ kind: 'rest-error' });
    expect(scanStart?.data).toMatchObject({ kind: 'target-output-scan' });
    // It did handle the failure (the probe says it halted new risk); it only kept quiet in its log.
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'halt' && e.data.reason === 'guard-input')).toBe(true);
  });

  it('hardened logs the unreadable input while it fails', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'failures-logged');
    expect(check.stats).toMatchObject({ failures: 1, exercised: 1, scans: 1, silent: 0 });
    expect(check.stats.failedRequests).toBeGreaterThan(0);
    const lines = r.events.filter((e) => e.type === 'output.line').map((e) => String(e.data.text));
    expect(lines.some((l) => /ERROR refbot\.riskguard: risk guard input \/fapi\/v2\/balance unreadable/.test(l))).toBe(true);
  });
});
