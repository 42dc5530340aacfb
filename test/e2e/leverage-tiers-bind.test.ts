import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * leverage-tiers-bind through the real CLI: refbot trades TIERUSDT (500 USDT of position at 20x)
 * with its default size of 1,000 USDT, and the bracket endpoint is down for the first 4 s
 * (003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager). With
 * risk-tiers-default it never reads the tiers and the venue refuses its orders -2027; hardened
 * holds new risk until the tiers are read, then sizes under the cap.
 */
const SEED = 43;
const CHECK = 'leverage-cap-respected';
const FINDING = '003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-tiers-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'leverage-tiers-bind', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const bracketReads = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/leverageBracket');

describe(`leverage-tiers-bind on refbot (${FINDING})`, () => {
  it('risk-tiers-default: orders sized from the bot’s defaults are refused -2027, and the tiers are never read', async () => {
    const r = await run('risk-tiers-default');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [refusal] = evidenceEvents(r, check);
    expect(refusal?.type).toBe('order.reject');
    expect(refusal?.data).toMatchObject({ code: -2027, symbol: 'TIERUSDT', type: 'MARKET' });
    expect(Number(refusal?.data.qty) * 2).toBeGreaterThan(500 / 0.95); // well past the cap at ~2 USDT
    expect(bracketReads(r)).toEqual([]);
  });

  it('hardened: no new risk while the brackets are unreadable, then orders cut under the cap and none refused', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // Not vacuous: the bot opened risk, the bracket reads failed first, and the cap did cut its size.
    expect(check.stats.riskOrders).toBeGreaterThanOrEqual(2);
    const guard = expectCheckPasses(r, 'guards-fail-closed');
    expect(guard.stats.failedReads).toBeGreaterThanOrEqual(1);
    expect(bracketReads(r).some((e) => e.data.status === 200)).toBe(true);
    const risk = r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false && Number(e.data.positionBefore) === 0);
    expect(risk.length).toBeGreaterThanOrEqual(2);
    for (const o of risk) expect(Number(o.data.qty) * 2.1).toBeLessThanOrEqual(500);
    const log = readFileSync(join(r.runDir, 'leverage-tiers-bind', 'bot-1', 'stderr.log'), 'utf8');
    expect(log).toMatch(/leverage tiers of TIERUSDT unreadable .*no new risk/);
    expect(log).toMatch(/cut to \d+ by the leverage cap/);
  });
});
