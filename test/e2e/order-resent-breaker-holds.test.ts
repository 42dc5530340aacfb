import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * order-resent-breaker-holds through the real CLI: the order endpoint answers 503 for 12 s after
 * refbot's first accepted order, so its next order is looked up and re-sent twice with the same
 * clientOrderId (001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors).
 * With breaker-counts-retries the one order trips the breaker; hardened counts orders and trades on.
 */
const SEED = 43;
const CHECK = 'breaker-counts-intents';
const FINDING = '001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-breaker-resend-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'order-resent-breaker-holds', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`order-resent-breaker-holds on refbot (${FINDING})`, () => {
  it('breaker-counts-retries: three failed sends of one order halt the bot', async () => {
    const r = await run('breaker-counts-retries');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [halt, ...sends] = evidenceEvents(r, check);
    expect(halt?.data).toMatchObject({ probe: 'halt', reason: 'consecutive-rejects', rejects: 3 });
    expect(sends).toHaveLength(3);
    // One order: every failed send has the same request digest and was answered 503.
    expect(new Set(sends.map((e) => e?.data.fp)).size).toBe(1);
    expect(sends.every((e) => e?.data.status === 503)).toBe(true);
  });

  it('hardened: the same order fails three times, no breaker halt, and it trades again after the outage', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // Not vacuous: one order really failed three times.
    expect(check.stats.ordersFailedTripAfterTimes).toBeGreaterThanOrEqual(1);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'halt')).toBe(false);
    const end = r.events.find((e) => e.type === 'fault.end' && e.data.kind === 'rest-error');
    expect(r.events.some((e) => e.type === 'order.new' && e.t > (end?.t ?? Number.POSITIVE_INFINITY))).toBe(true);
  });
});
