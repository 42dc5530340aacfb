import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent, OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * kill-restart-corrupt-state through the real CLI: refbot is SIGKILLed while long, its
 * refbot-state.json is truncated to half (a write torn by the crash) and it is restarted with the
 * same STATE_DIR. With reset-order-ids-on-corrupt-state the torn file restarts the id counter at 0
 * and the restarted bot re-sends rb-bot-1-1 (004_8a8a9a4995486b8f.txt#C-FSM-04, #C-FSM-03); with
 * no-recovery-on-start it believes it is flat and buys on top of its long
 * (004_8a8a9a4995486b8f.txt#C-FSM-01); hardened quarantines the file, continues from a fresh id
 * base and reads positions and open orders before trading.
 */
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kill-restart-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kill-restart-corrupt-state', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

function crashCheck(r: Awaited<ReturnType<typeof run>>) {
  const checks = r.summary.scenarios[0]?.checks ?? [];
  const check = checks.find((c) => c.name === 'crash-consistent-state');
  if (!check) throw new Error('no crash-consistent-state check in the summary');
  expect(checks.filter((c) => c.name !== 'crash-consistent-state' && c.valid === false)).toEqual([]);
  return check;
}

function evidence(events: HistoryEvent[], seqs: number[]): HistoryEvent[] {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  return seqs.map((s) => {
    const e = bySeq.get(s);
    if (!e) throw new Error(`evidence seq ${s} is not in the history`);
    return e;
  });
}

/** The kill, the corruption and the restart happened in that order. */
function faultsTookEffect(events: HistoryEvent[]) {
  const kill = events.find((e) => e.type === 'target.exit' && (e.data as { signal?: string }).signal === 'SIGKILL');
  const corrupt = events.find((e) => e.type === 'file.corrupted');
  const restart = events.find((e) => e.type === 'target.restart');
  expect(kill && corrupt && restart).toBeTruthy();
  expect((kill?.seq as number) < (corrupt?.seq as number) && (corrupt?.seq as number) < (restart?.seq as number)).toBe(true);
  expect(corrupt?.data).toMatchObject({ file: 'refbot-state.json', mode: 'truncate', ownerRunning: false });
  return restart as HistoryEvent;
}

describe('kill-restart-corrupt-state on refbot', () => {
  it('reset-order-ids-on-corrupt-state re-sends a clientOrderId of the killed process', async () => {
    const r = await run('reset-order-ids-on-corrupt-state');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    faultsTookEffect(r.events);
    const check = crashCheck(r);
    expect(check.valid).toBe(false);
    expect(check.findings).toContain('004_8a8a9a4995486b8f.txt#C-FSM-04');
    expect(check.violations.length).toBeGreaterThanOrEqual(1);
    for (const v of check.violations) expect(v.message).toMatch(/re-sent clientOrderId/);
    const [again, first, start] = evidence(r.events, check.violations[0]?.evidence ?? []);
    expect([again?.type, first?.type, start?.type]).toEqual(['order.new', 'order.new', 'target.start']);
    expect((again?.data as OrderNewData | undefined)?.clientOrderId).toBe((first?.data as OrderNewData | undefined)?.clientOrderId);
    expect((first?.seq as number) < (start?.seq as number) && (start?.seq as number) < (again?.seq as number)).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('no-recovery-on-start trades as if flat on top of the killed process’s position', async () => {
    const r = await run('no-recovery-on-start');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    faultsTookEffect(r.events);
    const check = crashCheck(r);
    expect(check.valid).toBe(false);
    expect(check.findings).toContain('004_8a8a9a4995486b8f.txt#C-FSM-01');
    expect(check.violations).toHaveLength(1);
    expect(check.stats.reusedIds).toBe(0);
    const [order, start, exit] = evidence(r.events, check.violations[0]?.evidence ?? []);
    expect([order?.type, start?.type, exit?.type]).toEqual(['order.new', 'target.start', 'target.exit']);
    const d = order?.data as OrderNewData | undefined;
    // Long before, it buys again: risk on top of the predecessor's position.
    expect(Number(d?.positionBefore)).toBeGreaterThan(0);
    expect([d?.side, d?.reduceOnly]).toEqual(['BUY', false]);
    expect(check.violations[0]?.message).toMatch(/it believed its position was 0/);
    // No reconciliation read between the restart and that order (the stop's own-orders cancel lists
    // open orders later, at shutdown: that is not recovery). The leverage-tier read (refbot/tiers.py)
    // asks positionRisk for the account's leverage only, then reads leverageBracket: that one is not
    // recovery either.
    const between = r.events.filter((e) => e.type === 'http.request' && e.seq > (start?.seq as number) && e.seq < (order?.seq as number));
    const path = (e: (typeof between)[number]) => String((e.data as { path?: string }).path);
    const forTiers = (i: number) =>
      path(between[i] as (typeof between)[number]) === '/fapi/v2/positionRisk' && between.slice(i + 1).some((e) => path(e) === '/fapi/v1/leverageBracket');
    const reads = between.filter((e, i) => /positionRisk|account|openOrders/.test(path(e)) && !forTiers(i));
    expect(between.filter((e) => path(e) === '/fapi/v2/positionRisk').length).toBeLessThanOrEqual(1); // the tier read, if any
    expect(reads).toEqual([]);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened quarantines the torn file, uses fresh ids and reconciles before trading', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const restart = faultsTookEffect(r.events);
    const check = crashCheck(r);
    expect(check.valid).toBe(true);
    expect(check.stats).toMatchObject({ restarts: 1, judged: 1, reusedIds: 0, unreconciledOrders: 0, reconciled: 1 });
    expect(check.stats.ordersBeforeRestart).toBeGreaterThanOrEqual(1);
    expect(check.stats.ordersAfterRestart).toBeGreaterThanOrEqual(2);
    const recovered = r.events.filter((e) => e.type === 'probe' && e.seq > restart.seq).map((e) => e.data as { probe: string; position?: string });
    expect(recovered.find((p) => p.probe === 'state-recovered')).toBeTruthy();
    expect(Number(recovered.find((p) => p.probe === 'recovered')?.position)).toBeGreaterThan(0);
    const stateDir = join(r.runDir, 'kill-restart-corrupt-state', 'bot-1', 'state');
    expect(readdirSync(stateDir).filter((f) => f.startsWith('refbot-state.json.corrupt-'))).toHaveLength(1);
    expect(leftovers(r.events)).toEqual([]);
  });
});
