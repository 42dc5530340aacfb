import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * manual-trade-correction-logged through the real CLI: an operator's MARKET SELL of 0.004 fills on
 * refbot's account while it is short 0.016. With drift-corrected-silently
 * (004_8a8a9a4995486b8f.txt#H-PORT-04) refbot adopts -0.020 without a word; hardened logs the
 * foreign fill with old, new position and the change.
 */
const SEED = 19;
const CHECK = 'corrections-logged';
const FINDING = '004_8a8a9a4995486b8f.txt#H-PORT-04';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-correction-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'manual-trade-correction-logged', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`manual-trade-correction-logged on refbot (${FINDING})`, () => {
  it('drift-corrected-silently adopts the manual trade without a log line', async () => {
    const r = await run('drift-corrected-silently');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations).toHaveLength(1);
    const [after, before, foreign, scan] = evidenceEvents(r, check);
    expect(after?.data.probe).toBe('position');
    expect(before?.data.probe).toBe('position');
    expect(foreign?.type).toBe('foreign.order');
    expect(scan?.type).toBe('output.scan');
    expect(Number(after?.data.position)).toBeCloseTo(-0.02, 9);
  });

  it('hardened logs the foreign fill with its amount', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats).toMatchObject({ corrections: 1, covered: 1, silent: 0, foreignFills: 1 });
    // Not vacuous: the manual trade really moved the position, and the line names it.
    const lines = r.events.filter((e) => e.type === 'output.line').map((e) => String(e.data.text));
    expect(lines.some((l) => /did not place: BTCUSDT position -0\.016 -> -0\.020 \(change -0\.004\)/.test(l))).toBe(true);
  });
});
