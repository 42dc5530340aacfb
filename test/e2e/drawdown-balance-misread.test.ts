import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * drawdown-halt-at-balance-threshold through the real CLI, for
 * 003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade: with
 * balance-fields-misread refbot parses its balance answers with another endpoint's field names,
 * reads 0 and never halts on the 60 % leg; hardened reads balance + crossUnPnl and halts.
 */
const SEED = 47;
const CHECK = 'drawdown-halt-at-threshold';
const FINDING = '003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-balance-misread-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'drawdown-halt-at-balance-threshold', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const drawdownHalts = (r: Awaited<ReturnType<typeof run>>) =>
  r.events.filter((e) => e.type === 'probe' && e.data.probe === 'halt' && e.data.reason === 'drawdown');

describe(`drawdown guard reading the balance answer (${FINDING})`, () => {
  it('balance-fields-misread: equity read as 0, the confirmed 60 % breach is missed', async () => {
    const r = await run('balance-fields-misread');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations[0]?.message).toMatch(/60\.00 % below its peak 10000\.00 .* did not halt/);
    const [reading] = evidenceEvents(r, check);
    expect(reading?.type).toBe('balance.glitched');
    expect(drawdownHalts(r)).toEqual([]);
  });

  it('hardened: the same answers, read by their own field names, halt on the 60 % leg only', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.confirmed).toBeGreaterThanOrEqual(1);
    expect(check.stats.falseHalts).toBe(0);
    expect(drawdownHalts(r).length).toBeGreaterThanOrEqual(1);
  });
});
