import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * exit-rejected-retried through the real CLI: refbot's first exit is refused -1112 ("No orders on
 * book"). With exit-assumed-done it books the close as done and states itself flat; with
 * exit-dropped-silently it waits for a close that was never placed; hardened re-sends the exit
 * reduce-only on its next tick.
 */
const CHECK = 'exits-verified';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-exit-rejected-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'exit-rejected-retried', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe('exit-rejected-retried on refbot', () => {
  it('with only exit-assumed-done the rejected exit is booked as done', async () => {
    const r = await run('exit-assumed-done');
    const check = expectOnlyCheckFails(r, CHECK, '003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally');
    const [probe, reject, pos] = evidenceEvents(r, check);
    expect([probe?.type, probe?.data.probe, Number(probe?.data.position)]).toEqual(['probe', 'position', 0]);
    expect([reject?.type, reject?.data.reduceOnly, reject?.data.code]).toEqual(['order.reject', true, -1112]);
    expect(Number(pos?.data.positionAfter ?? pos?.data.positionBefore)).not.toBe(0);
  });

  it('with only exit-dropped-silently the rejected exit is never re-sent', async () => {
    const r = await run('exit-dropped-silently');
    const check = expectOnlyCheckFails(r, CHECK, '000_2ae31cbfe79758d1.txt#S-M8');
    const [reject] = evidenceEvents(r, check);
    expect([reject?.type, reject?.data.reduceOnly]).toEqual(['order.reject', true]);
    expect(check.violations[0]?.message).toMatch(/not retried within 3000 ms/);
    // Within the trading window nothing more is sent (the stop's close at SIGTERM comes after it).
    const end = r.events.find((e) => e.type === 'scenario.window.end');
    expect(r.events.filter((e) => e.type === 'order.new' && e.seq > (reject?.seq as number) && e.seq < (end?.seq as number))).toEqual([]);
  });

  it('hardened re-sends the exit reduce-only and the position goes flat', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.failedExits).toBeGreaterThanOrEqual(1);
    expect(check.stats.retried).toBe(check.stats.failedExits);
    const reject = r.events.find((e) => e.type === 'order.reject');
    const retry = r.events.find((e) => e.type === 'order.new' && e.seq > (reject?.seq as number));
    expect([retry?.data.side, retry?.data.reduceOnly]).toEqual([reject?.data.side, true]);
  });
});
