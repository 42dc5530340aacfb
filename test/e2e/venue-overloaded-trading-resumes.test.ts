import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * venue-overloaded-trading-resumes through the real CLI: POST /fapi/v1/order is refused as
 * overloaded (400, -1008) for 2.5 s. With transient-error-sticks-in-error
 * (004_8a8a9a4995486b8f.txt#H-FSM-01) refbot's runner goes to ERROR and never trades again, although
 * its loop keeps beating; hardened trades again after the heal.
 */
const SEED = 5;
const CHECK = 'loop-never-stalls';
const FINDING = '004_8a8a9a4995486b8f.txt#H-FSM-01';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-overloaded-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'venue-overloaded-trading-resumes', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const rejected = (e: { type: string; data: Record<string, unknown> }) =>
  e.type === 'http.request' && e.data.path === '/fapi/v1/order' && e.data.method === 'POST' && e.data.code === -1008;

describe(`venue-overloaded-trading-resumes on refbot (${FINDING})`, () => {
  it('transient-error-sticks-in-error never trades again after the venue recovers', async () => {
    const r = await run('transient-error-sticks-in-error');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations).toHaveLength(1);
    expect(check.stats.stalls).toBe(0); // the loop itself kept beating
    const [end, last, heal, start] = evidenceEvents(r, check);
    expect(end?.type).toBe('scenario.window.end');
    expect(last?.type).toBe('order.new');
    expect(heal?.type).toBe('fault.end');
    expect(start?.type).toBe('fault.start');
    expect(start?.data.kind).toBe('rest-error');
    // No order between the heal and the window end (the stop at teardown may close the position).
    expect(r.events.some((e) => e.type === 'order.new' && e.t > (heal?.t as number) && e.t < (end?.t as number))).toBe(false);
    // It went to ERROR on a retryable rejection, and said so.
    const first = r.events.find(rejected);
    const error = r.events.find((e) => e.data.probe === 'lifecycle' && e.data.state === 'ERROR');
    expect(first && error && error.t >= first.t).toBe(true);
  });

  it('hardened trades again once the venue accepts orders', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.resumeJudged).toBe(1);
    expect(check.stats.resumeMs).toBeLessThanOrEqual(6000);
    // Not vacuous: orders were really refused, and the runner never left RUNNING.
    expect(r.events.some(rejected)).toBe(true);
    expect(r.events.some((e) => e.data.probe === 'lifecycle' && e.data.state === 'ERROR')).toBe(false);
  });
});
