import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * drawdown-halt-survives-restart through the real CLI: refbot's balance reads show a 70% loss, its
 * drawdown kill switch halts it, then it is SIGKILLed and restarted. With only
 * drawdown-peak-not-persisted the new process takes the reduced balance as its peak and opens risk
 * (001_0474a2fd1532b929.txt#M9); hardened restores the peak from STATE_DIR and stays halted.
 */
const FINDING = '001_0474a2fd1532b929.txt#M9';
const CHECK = 'halt-gates-all-orders';
const SEED = 31;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-drawdown-restart-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'drawdown-halt-survives-restart', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const starts = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'target.start');
const halts = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'probe' && e.data.probe === 'halt');

describe(`drawdown-halt-survives-restart on refbot (${FINDING})`, () => {
  it('drawdown-peak-not-persisted forgets the peak on restart and opens risk without resuming', async () => {
    const r = await run('drawdown-peak-not-persisted');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.stats.restartsWhileHalted).toBe(1);
    const [order, halt] = evidenceEvents(r, check);
    expect(order?.type).toBe('order.new');
    expect(halt?.type === 'probe' && halt.data.probe === 'halt' && halt.data.reason === 'drawdown').toBe(true);
    // The halt was confirmed by glitched readings; the order came from the restarted process, which never said resume.
    expect(r.events.filter((e) => e.type === 'balance.glitched' && e.seq < (halt?.seq as number)).length).toBeGreaterThanOrEqual(2);
    const restart = starts(r)[1];
    expect(restart?.seq).toBeGreaterThan(halt?.seq as number);
    expect(restart?.seq).toBeLessThan(order?.seq as number);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'resume')).toBe(false);
    expect(halts(r)).toHaveLength(1); // the restarted process saw no drawdown at all
  });

  it('hardened restores the peak after the restart and stays halted', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats).toMatchObject({ halts: 1, resumes: 0, restartsWhileHalted: 1, riskWhileHalted: 0 });
    const [first, again] = halts(r);
    const restart = starts(r)[1];
    expect(first?.data.reason).toBe('drawdown');
    // Not vacuous: it traded before the halt, and the restarted process found the drawdown again.
    expect(r.events.some((e) => e.type === 'order.new' && e.data.reduceOnly === false && e.seq < (first?.seq as number))).toBe(true);
    expect(again?.data.reason).toBe('drawdown');
    expect(again?.seq).toBeGreaterThan(restart?.seq as number);
  });
});
