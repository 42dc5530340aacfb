import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * sigterm-in-error-state through the real CLI: -2019 rejections put refbot's runner in ERROR while
 * it holds a long, then it gets SIGTERM. With error-state-blocks-stop the stop raises on the
 * missing ERROR -> STOPPING transition and skips the cleanup
 * (003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition);
 * hardened stops from ERROR like from RUNNING and closes the position.
 */
const FINDING = '003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-sigterm-error-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'sigterm-in-error-state', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

const entered = (events: HistoryEvent[], state: string) => events.find((e) => e.type === 'probe' && e.data.probe === 'lifecycle' && e.data.state === state);

describe(`sigterm-in-error-state on refbot (${FINDING})`, () => {
  it('error-state-blocks-stop skips the cleanup and leaves the position', async () => {
    const r = await run('error-state-blocks-stop');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.name !== 'clean-sigterm' && c.valid === false)).toEqual([]);
    const check = checks.find((c) => c.name === 'clean-sigterm');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const [exitSeq, fillSeq, signalSeq] = check?.violations[0]?.evidence ?? [];
    expect(bySeq.get(exitSeq as number)?.type).toBe('target.exit');
    expect(Math.abs(Number((bySeq.get(fillSeq as number)?.data as { positionAfter?: string } | undefined)?.positionAfter))).toBeGreaterThan(0);
    const signal = bySeq.get(signalSeq as number);
    expect(signal?.type).toBe('process.signal');
    // The runner was in ERROR (after a -2019) when the signal came, and never reached STOPPING.
    const error = entered(r.events, 'ERROR');
    expect(error?.seq).toBeLessThan(signal?.seq as number);
    const rejected = r.events.find((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/order' && e.data.status === 400 && e.data.code === -2019);
    expect(rejected?.seq).toBeLessThan(error?.seq as number);
    expect(entered(r.events, 'STOPPING')).toBeUndefined();
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened stops from ERROR, closes the position and exits 0', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'clean-sigterm');
    expect(check?.valid).toBe(true);
    expect(check?.stats).toMatchObject({ signals: 1, judged: 1, riskAfterSignal: 0, openAtExit: 0, unprotected: 0, slowExits: 0, ordersAfterSignal: 1 });
    const error = entered(r.events, 'ERROR');
    const signal = r.events.find((e) => e.type === 'process.signal');
    expect(error?.seq).toBeLessThan(signal?.seq as number);
    expect(entered(r.events, 'STOPPED')?.seq).toBeGreaterThan(signal?.seq as number);
    expect(leftovers(r.events)).toEqual([]);
  });
});
