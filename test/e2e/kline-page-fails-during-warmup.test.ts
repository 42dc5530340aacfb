import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * kline-page-fails-during-warmup through the real CLI: the restarted refbot pages through the
 * venue's two hours of klines while every page after its first fails
 * (003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break). With
 * kline-page-error-swallowed it trades on the partial history at once; hardened holds new risk
 * and fetches the failed page again once the endpoint answers.
 */
const SEED = 41;
const CHECK = 'history-gaps-refilled';
const FINDING = '003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kline-page-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kline-page-fails-during-warmup', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const klines = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/klines');

describe(`kline-page-fails-during-warmup on refbot (${FINDING})`, () => {
  it('kline-page-error-swallowed: the failed page is never fetched again and the bot opens risk on the gap', async () => {
    const r = await run('kline-page-error-swallowed');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [failed, order] = evidenceEvents(r, check);
    expect(failed?.data).toMatchObject({ path: '/fapi/v1/klines', status: 503, window: { symbol: 'BTCUSDT', interval: '1m', limit: 30 } });
    expect(order?.type).toBe('order.new');
    expect(order?.data.reduceOnly).toBe(false);
    expect(check.violations[0]?.message).toMatch(/never fetched again/);
    const start = (failed?.data.window as { startTime: number } | undefined)?.startTime;
    expect(start).toBeTypeOf('number');
    const later = klines(r).filter((e) => e.seq > (failed?.seq ?? 0) && (e.data.window as { startTime: number }).startTime === start);
    expect(later).toEqual([]);
  });

  it('hardened: no new risk until the failed page came back, then trading again; the history was really there', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // Not vacuous: a page failed and left a gap, the bot refilled it and traded afterwards.
    expect(check.stats.gaps).toBeGreaterThanOrEqual(1);
    expect(check.stats.refilled).toBe(check.stats.gaps);
    expect(check.stats.riskOrdersAfterFailure).toBeGreaterThanOrEqual(1);
    // The venue served the backfilled history: the warmup merged all 90 minutes.
    expect(r.events.some((e) => e.type === 'market.history' && e.data.minutes === 120)).toBe(true);
    const log = readFileSync(join(r.runDir, 'kline-page-fails-during-warmup', 'bot-1', 'stderr.log'), 'utf8');
    expect(log).toMatch(/kline page 2\/3 failed .*history has a gap: no new risk/);
    expect(log).toMatch(/kline warmup: 90 candle\(s\)/);
  });
});
