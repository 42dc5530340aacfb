import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent, OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * kill-switch-during-order-retry through the real CLI: refbot's LONG entry gets a 503 (not
 * executed), and while refbot waits to re-send it the operator's kill file appears. With
 * retry-bypasses-halt the re-send goes out while halted (001_0474a2fd1532b929.txt#M1); hardened
 * gives the intent up at its re-send and resumes only after the cooldown.
 */
const FINDING = '001_0474a2fd1532b929.txt#M1';
const SEED = 11;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kill-switch-retry-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kill-switch-during-order-retry', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

const probes = (events: HistoryEvent[], name: string) => events.filter((e) => e.type === 'probe' && e.data.probe === name);

describe(`kill-switch-during-order-retry on refbot (${FINDING})`, () => {
  it('retry-bypasses-halt re-sends the entry while the bot is halted', async () => {
    const r = await run('retry-bypasses-halt');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.name !== 'halt-gates-all-orders' && c.valid === false)).toEqual([]);
    const check = checks.find((c) => c.name === 'halt-gates-all-orders');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const [orderSeq, haltSeq] = check?.violations[0]?.evidence ?? [];
    const order = bySeq.get(orderSeq as number);
    const halt = bySeq.get(haltSeq as number);
    expect(order?.type).toBe('order.new');
    expect(halt?.type === 'probe' && halt.data.probe === 'halt' && halt.data.reason === 'kill-file').toBe(true);
    expect(halt?.seq).toBeLessThan(order?.seq as number);
    // The offending order is the re-send (attempt 2) of the intent whose first POST got the 503.
    const o = order?.data as OrderNewData;
    expect(o.reduceOnly).toBe(false);
    const attempts = probes(r.events, 'intent').filter((e) => e.data.clientOrderId === o.clientOrderId);
    expect(attempts.map((e) => e.data.attempt)).toEqual([1, 2]);
    expect(attempts[0]?.seq).toBeLessThan(halt?.seq as number);
    expect(attempts[1]?.seq).toBeGreaterThan(halt?.seq as number);
    const the503 = r.events.find((e) => e.type === 'http.request' && e.data.method === 'POST' && e.data.path === '/fapi/v1/order' && e.data.status === 503);
    expect(the503?.seq).toBeLessThan(halt?.seq as number);
    // The kill file was written before the halt, and the bot had not resumed when it re-sent.
    const written = r.events.find((e) => e.type === 'kill-file.written');
    expect(written?.seq).toBeLessThan(halt?.seq as number);
    expect(probes(r.events, 'resume').every((e) => e.seq > (order?.seq as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened gives the intent up at its re-send and trades again only after resuming', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'halt-gates-all-orders');
    expect(check?.valid).toBe(true);
    expect(check?.stats).toMatchObject({ halts: 1, killFiles: 1, resumes: 1, earlyResumes: 0, riskWhileHalted: 0 });
    expect(check?.stats.riskOrders).toBeGreaterThan(1);
    const halt = probes(r.events, 'halt')[0];
    const resume = probes(r.events, 'resume')[0];
    // The intent hit by the 503 was found not placed, then given up: no attempt 2 at all.
    expect(probes(r.events, 'lookup').some((e) => e.data.outcome === 'not-placed' && e.seq > (halt?.seq as number))).toBe(true);
    expect(probes(r.events, 'intent').some((e) => e.data.attempt !== 1)).toBe(false);
    expect(probes(r.events, 'skip').some((e) => e.data.reason === 'halt')).toBe(true);
    // Not vacuous: it traded before the halt and again after resuming (at least 4.5 s later).
    const orders = r.events.filter((e) => e.type === 'order.new');
    expect(orders.some((e) => e.seq < (halt?.seq as number))).toBe(true);
    expect(orders.some((e) => e.seq > (resume?.seq as number))).toBe(true);
    expect((resume?.t as number) - (halt?.t as number)).toBeGreaterThanOrEqual(4500);
    expect(leftovers(r.events)).toEqual([]);
  });
});
