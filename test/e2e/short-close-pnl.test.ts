import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * short-close-pnl through the real CLI: refbot opens and closes longs and shorts in a volatile
 * market. With only short-pnl-sign-error its portfolio books each short's close with the long
 * formula and reports a realized PnL the venue never paid; hardened matches the venue.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#H-PORT-01';
const CHECK = 'pnl-matches-venue';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-short-close-pnl-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'short-close-pnl', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`short-close-pnl on refbot (${FINDING})`, () => {
  it('with only short-pnl-sign-error the reported realized PnL departs from the venue’s at the first short closed', async () => {
    const r = await run('short-pnl-sign-error');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [probe, close] = evidenceEvents(r, check);
    expect([probe?.type, probe?.data.probe]).toEqual(['probe', 'pnl']);
    // The last closing fill before the first divergence closed a short (a BUY realizing PnL).
    expect([close?.type, close?.data.side]).toEqual(['order.fill', 'BUY']);
    expect(Number(close?.data.realizedPnl)).not.toBe(0);
    const venue = r.events.filter((e) => e.type === 'order.fill' && e.seq <= (close?.seq as number)).reduce((s, e) => s + Number(e.data.realizedPnl), 0);
    expect(Math.abs(Number(probe?.data.realized) - venue)).toBeGreaterThan(0.01);
  });

  it('hardened reports the venue’s realized PnL, shorts included', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.judged).toBeGreaterThanOrEqual(3);
    expect(check.stats.shortCloses).toBeGreaterThanOrEqual(1);
    expect(check.stats.mismatches).toBe(0);
  });
});
