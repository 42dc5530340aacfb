import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * warmup-null-candles-trading-resumes through the real CLI: the klines come back holed (null OHLCV)
 * while the market stream reconnects, so refbot re-warms on them. With warmup-nan-deadlock
 * (003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders) the
 * NaN placeholders hold its readiness gate shut after the klines heal: its loop keeps beating but it
 * never opens risk again. Hardened drops the bad candles and trades on.
 */
const SEED = 11;
const CHECK = 'loop-never-stalls';
const FINDING = '003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-warmup-gate-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'warmup-null-candles-trading-resumes', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const holed = (e: { type: string }) => e.type === 'klines.degenerate';
const gateSkip = (e: { data: Record<string, unknown> }) => e.data.probe === 'skip' && e.data.reason === 'warmup';

describe(`warmup-null-candles-trading-resumes on refbot (${FINDING})`, () => {
  it('warmup-nan-deadlock never opens risk again after the klines heal', async () => {
    const r = await run('warmup-nan-deadlock');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations).toHaveLength(1);
    expect(check.stats.stalls).toBe(0); // the loop itself kept beating: a deadlock of the gate, not of the loop
    const [end, last, heal, start] = evidenceEvents(r, check);
    expect(end?.type).toBe('scenario.window.end');
    expect(last?.type).toBe('order.new');
    expect(heal?.type).toBe('fault.end');
    expect(start?.type).toBe('fault.start');
    // The bot re-warmed on holed klines, and said why it stood still.
    expect(r.events.some(holed)).toBe(true);
    expect(r.events.filter(gateSkip).length).toBeGreaterThan(2);
    expect(r.events.some((e) => gateSkip(e) && e.t > (heal?.t as number))).toBe(true);
  });

  it('hardened drops the holed candles and trades again at once', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.resumeJudged).toBe(1);
    expect(check.stats.resumeMs).toBeLessThanOrEqual(3000);
    // Not vacuous: the re-warm really got holed klines, and the gate never held.
    expect(r.events.some(holed)).toBe(true);
    expect(r.events.some(gateSkip)).toBe(false);
  });
});
