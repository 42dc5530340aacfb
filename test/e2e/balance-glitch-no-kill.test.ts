import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * balance-glitch-no-kill through the real CLI: one balance read of refbot answers 3,000 USDT
 * instead of ~10,000. With only drawdown-single-reading refbot's drawdown kill switch fires on
 * that one reading and stays halted (001_0474a2fd1532b929.txt#M20); hardened waits for a second
 * reading, finds the balance back, and trades on.
 */
const FINDING = '001_0474a2fd1532b929.txt#M20';
const CHECK = 'halt-needs-confirmation';
const SEED = 29;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-balance-glitch-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'balance-glitch-no-kill', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`balance-glitch-no-kill on refbot (${FINDING})`, () => {
  it('with only drawdown-single-reading one glitched reading halts the bot for good', async () => {
    const r = await run('drawdown-single-reading');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations).toHaveLength(1);
    const [halt, glitch] = evidenceEvents(r, check);
    expect(halt?.type === 'probe' && halt.data.probe === 'halt' && halt.data.reason === 'drawdown').toBe(true);
    expect([glitch?.src, glitch?.type, glitch?.data.n]).toEqual(['fault', 'balance.glitched', 1]);
    // Irreversible: no resume, and no risk-increasing order after the halt although every later reading was real.
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'resume')).toBe(false);
    const laterReads = r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v2/balance' && e.seq > (halt?.seq as number));
    expect(laterReads.length).toBeGreaterThan(0); // real readings again, yet it stays halted
    expect(r.events.filter((e) => e.type === 'balance.glitched')).toHaveLength(1);
    expect(r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false && e.seq > (halt?.seq as number))).toEqual([]);
  });

  it('hardened does not halt on the single glitch and keeps trading', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats).toMatchObject({ anomalous: 1, halts: 0 });
    expect(check.stats.readings).toBeGreaterThanOrEqual(3);
    const glitch = r.events.find((e) => e.type === 'balance.glitched');
    // Not vacuous: the glitched reading was skipped, the next one was real and risk was opened after it.
    expect(r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false && e.seq > (glitch?.seq as number)).length).toBeGreaterThan(0);
  });
});
