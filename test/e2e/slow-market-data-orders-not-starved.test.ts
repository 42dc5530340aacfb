import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * slow-market-data-orders-not-starved through the real CLI: GET /fapi/v1/ticker/bookTicker answers
 * 3 s late for 6 s. With single-connection-pool refbot's orders queue behind the slow request on its
 * one pooled connection (004_8a8a9a4995486b8f.txt#C-MAIN-06); hardened sends them at once.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#C-MAIN-06';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-starved-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'slow-market-data-orders-not-starved', profile: 'hardened', seed: 47, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`slow-market-data-orders-not-starved on refbot (${FINDING})`, () => {
  it('single-connection-pool queues an order behind the slow market-data request', async () => {
    const r = await run('single-connection-pool');
    const check = expectOnlyCheckFails(r, 'orders-not-starved', FINDING);
    const [intent, ...rest] = evidenceEvents(r, check);
    expect(intent).toMatchObject({ src: 'target', type: 'probe', instance: 'bot-1', data: { probe: 'intent' } });
    expect(rest.at(-1)?.data).toMatchObject({ kind: 'rest-slow', params: { path: '/fapi/v1/ticker/bookTicker' } });
    expect(check.violations[0]?.message).toMatch(/starved by the slow request|never reached the venue/);
  });

  it('hardened sends every order at once while the endpoint is slow', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'orders-not-starved');
    expect(check.stats.judged).toBeGreaterThan(0);
    expect(check.stats.starved).toBe(0);
  });
});
