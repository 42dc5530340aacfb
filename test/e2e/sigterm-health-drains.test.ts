import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * sigterm-health-drains through the real CLI: refbot is asked to stop while the venue is slow, so
 * its cleanup takes a while; a monitor polls GET /health throughout. With heartbeat-outlives-stop
 * (004_8a8a9a4995486b8f.txt#C-SERV-05) it says ok through the shutdown; hardened says 503
 * "stopping" from the signal on.
 */
const SEED = 23;
const CHECK = 'health-tells-truth';
const FINDING = '004_8a8a9a4995486b8f.txt#C-SERV-05';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-drain-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'sigterm-health-drains', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`sigterm-health-drains on refbot (${FINDING})`, () => {
  it('heartbeat-outlives-stop says ok while the bot shuts down', async () => {
    const r = await run('heartbeat-outlives-stop');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.stats.healthyStopping).toBeGreaterThanOrEqual(1);
    const [answer, signal] = evidenceEvents(r, check);
    expect(answer?.type).toBe('health.answer');
    expect(answer?.data.status).toBe(200);
    expect(signal?.type).toBe('process.signal');
    expect(signal?.data.signal).toBe('SIGTERM');
  });

  it('hardened answers 503 stopping from the signal until it exits, and exits cleanly', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.judgedStopping).toBeGreaterThanOrEqual(2);
    expect(check.stats.healthyStopping).toBe(0);
    // Not vacuous: the endpoint really answered during the shutdown, naming the reason.
    const signalT = r.events.find((e) => e.type === 'process.signal')?.t as number;
    expect(r.events.some((e) => e.type === 'health.answer' && e.t > signalT && e.data.status === 503 && String(e.data.body).includes('stopping'))).toBe(true);
    expect(r.events.find((e) => e.type === 'target.exit')?.data.code).toBe(0);
  });
});
