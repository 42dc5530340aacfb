import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent, OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * sigterm-with-open-position through the real CLI: refbot is sent SIGTERM (3 s grace) while it
 * holds a short. With no-close-on-stop it exits leaving the position open
 * (001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no); with
 * alert-worker-never-stops a thread without a stop condition keeps it alive past the grace and it is
 * SIGKILLed (000_2ae31cbfe79758d1.txt#S-M3); with shutdown-lock-inversion the stop deadlocks on its
 * own lock before any cleanup and is SIGKILLed (004_8a8a9a4995486b8f.txt#H-SERV-05); with
 * shutdown-join-under-lock it closes the short, then deadlocks joining its alert worker under the
 * lock the worker needs to exit (004_8a8a9a4995486b8f.txt#C-SERV-04); hardened closes the short
 * reduce-only and exits 0.
 */
const SEED = 5;
const CHECK = 'clean-sigterm';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-sigterm-position-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'sigterm-with-open-position', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
type Run = Awaited<ReturnType<typeof run>>;

/** The grace-exceeded verdict: evidence [kill, exit, signal], SIGKILLed at least the 3 s grace after the signal. Returns the signal. */
function expectKilledAfterGrace(r: Run, check: ReturnType<typeof expectOnlyCheckFails>): HistoryEvent | undefined {
  const [killed, exit, signal] = evidenceEvents(r, check);
  expect([killed?.type, exit?.type, signal?.type]).toEqual(['process.grace-exceeded', 'target.exit', 'process.signal']);
  expect(exit?.data).toMatchObject({ signal: 'SIGKILL' });
  expect((killed?.t as number) - (signal?.t as number)).toBeGreaterThanOrEqual(3000);
  return signal;
}

const ordersAfter = (r: Run, signal: HistoryEvent | undefined) => r.events.filter((e) => e.type === 'order.new' && e.seq > (signal?.seq as number));

describe('sigterm-with-open-position on refbot', () => {
  it('no-close-on-stop exits with its position open', async () => {
    const r = await run('no-close-on-stop');
    const check = expectOnlyCheckFails(r, CHECK, '001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no');
    expect(check.violations).toHaveLength(1);
    const [exit, fill, signal] = evidenceEvents(r, check);
    expect([exit?.type, fill?.type, signal?.type]).toEqual(['target.exit', 'order.fill', 'process.signal']);
    expect(exit?.data).toMatchObject({ code: 0, signal: null });
    expect(Math.abs(Number((fill?.data as { positionAfter?: string } | undefined)?.positionAfter))).toBeGreaterThan(0);
    // Nothing was sent after the signal: neither a close nor a stop.
    expect(ordersAfter(r, signal)).toEqual([]);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('alert-worker-never-stops hangs past the grace and is SIGKILLed', async () => {
    const r = await run('alert-worker-never-stops');
    const check = expectOnlyCheckFails(r, CHECK, '000_2ae31cbfe79758d1.txt#S-M3');
    expect(check.violations).toHaveLength(1);
    const signal = expectKilledAfterGrace(r, check);
    // The stop itself was clean: the short was closed reduce-only before the hang.
    expect((ordersAfter(r, signal)[0]?.data as OrderNewData | undefined)?.reduceOnly).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('shutdown-lock-inversion deadlocks before any cleanup and is SIGKILLed', async () => {
    const r = await run('shutdown-lock-inversion');
    const check = expectOnlyCheckFails(r, CHECK, '004_8a8a9a4995486b8f.txt#H-SERV-05');
    // 004_8a8a9a4995486b8f.txt#H-SERV-05: stuck in its own lock, it is killed after the grace ...
    const signal = expectKilledAfterGrace(r, check);
    // ... having sent nothing after the signal (no cancel-all, no close): the short is left unprotected.
    expect(ordersAfter(r, signal)).toEqual([]);
    expect(check.violations.some((v) => /neither closed nor protected/.test(v.message))).toBe(true);
    expect(check.stats).toMatchObject({ slowExits: 1, unprotected: 1 });
    expect(leftovers(r.events)).toEqual([]);
  });

  it('shutdown-join-under-lock cleans up, then deadlocks joining its worker and is SIGKILLed', async () => {
    const r = await run('shutdown-join-under-lock');
    const check = expectOnlyCheckFails(r, CHECK, '004_8a8a9a4995486b8f.txt#C-SERV-04');
    // 004_8a8a9a4995486b8f.txt#C-SERV-04: the only violation is the hang: killed after the grace ...
    expect(check.violations).toHaveLength(1);
    const signal = expectKilledAfterGrace(r, check);
    // ... after a clean close: the short was closed reduce-only before the join hung.
    expect((ordersAfter(r, signal)[0]?.data as OrderNewData | undefined)?.reduceOnly).toBe(true);
    expect(check.stats).toMatchObject({ slowExits: 1, unprotected: 0, openAtExit: 0 });
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened closes the position reduce-only and exits 0 at once', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(r.summary.scenarios[0]?.checks.filter((c) => c.name !== CHECK && c.valid === false)).toEqual([]);
    expect(check.stats).toMatchObject({ signals: 1, judged: 1, riskAfterSignal: 0, openAtExit: 0, unprotected: 0, slowExits: 0 });
    expect(check.stats.ordersBeforeSignal).toBeGreaterThanOrEqual(3);
    expect(check.stats.ordersAfterSignal).toBe(1);
    expect(check.stats.maxExitMs).toBeLessThan(3000);
  });
});
