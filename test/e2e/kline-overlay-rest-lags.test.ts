import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * kline-overlay-rest-lags through the real CLI: refbot's decisions name a 1m candle, the kline
 * stream is live and REST klines lag 600 ms
 * (003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15). With
 * kline-overlay-raw-interval its lookup misses the live candle and it decides on the warmup's REST
 * candle; hardened decides on the live one.
 */
const SEED = 53;
const CHECK = 'decision-candle-current';
const FINDING = '003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kline-overlay-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'kline-overlay-rest-lags', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const candleProbes = (r: Awaited<ReturnType<typeof run>>) =>
  r.events.filter((e) => e.type === 'probe' && e.data.probe === 'order' && e.data.reduceOnly === false && e.data.candle !== undefined);

describe(`kline-overlay-rest-lags on refbot (${FINDING})`, () => {
  it('kline-overlay-raw-interval: decisions on the warmup’s REST candle, whose close the venue left seconds before', async () => {
    const r = await run('kline-overlay-raw-interval');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [probe, tick] = evidenceEvents(r, check);
    expect(probe?.data).toMatchObject({ probe: 'order', reduceOnly: false, candle: { interval: '1m', source: 'rest' } });
    expect(tick?.type).toBe('tick');
    expect(tick?.data.mid).toBe(String((probe?.data.candle as { close: number } | undefined)?.close));
    expect(check.violations[0]?.message).toMatch(/the venue’s price was last .* ms before/);
    // The stream was live all along: the bot was subscribed to the kline stream.
    expect(r.events.some((e) => e.type === 'ws.open' && JSON.stringify(e.data).includes('@kline_1m'))).toBe(true);
  });

  it('hardened: every decision on the live candle, current to the venue’s price', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.candleDecisions).toBeGreaterThanOrEqual(4);
    expect(check.stats.current).toBe(check.stats.candleDecisions);
    expect(candleProbes(r).every((e) => (e.data.candle as { source: string }).source === 'ws')).toBe(true);
    const log = readFileSync(join(r.runDir, 'kline-overlay-rest-lags', 'bot-1', 'stderr.log'), 'utf8');
    expect(log).toMatch(/kline warmup: 90 candle\(s\)/); // the lagging REST history did arrive
  });
});
