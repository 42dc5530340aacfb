import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * scaled-price-order-cap through the real CLI: for 4 s refbot's feed shows a tenth of the price.
 * With only no-order-size-cap it sizes entries off that print, ten times its notional; hardened
 * values them at the REST mid and refuses them.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#S-C1';
const CHECK = 'exposure-within-limits';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-scaled-price-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'scaled-price-order-cap', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`scaled-price-order-cap on refbot (${FINDING})`, () => {
  it('with only no-order-size-cap an entry sized off the scaled print goes out at ~10x the limit', async () => {
    const r = await run('no-order-size-cap');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [order, tick] = evidenceEvents(r, check);
    expect([order?.type, order?.data.reduceOnly]).toEqual(['order.new', false]);
    const usd = Number(order?.data.qty) * Number(tick?.data.mid);
    expect(usd).toBeGreaterThan(5000);
    expect(check.violations[0]?.message).toMatch(/above the max order notional 1500 USD/);
    // It was sent while the feed was scaled: a corrupted market message reached the bot before it.
    const start = r.events.find((e) => e.type === 'market.corrupt');
    expect(start?.seq).toBeLessThan(order?.seq as number);
  });

  it('hardened refuses the oversized entries and trades normally around them', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.judged).toBeGreaterThanOrEqual(2);
    expect(check.stats.oversized).toBe(0);
    // Not vacuous: the feed really was scaled, and the bot refused orders on it.
    expect(r.events.some((e) => e.type === 'market.corrupt')).toBe(true);
    expect(r.events.filter((e) => e.type === 'probe' && e.data.probe === 'skip' && e.data.reason === 'order-cap').length).toBeGreaterThan(0);
  });
});
