import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * slow-fill-exposure-limit through the real CLI: refbot's SHORT entry fills half at once and the
 * rest 9.5 s later. With only exposure-ignores-pending refbot stops counting it after its 5 s
 * in-flight wait, checks only its current position against the limit and opens the next short on
 * top of the pending rest; hardened looks the order up, keeps waiting and counts it.
 */
const FINDING = '003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all';
const CHECK = 'exposure-within-limits';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-slow-fill-exposure-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'slow-fill-exposure-limit', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`slow-fill-exposure-limit on refbot (${FINDING})`, () => {
  it('with only exposure-ignores-pending an order goes out on top of a pending one, beyond the limit', async () => {
    const r = await run('exposure-ignores-pending');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.findings).toContain('002_3e6ca2bf6dfde12d.txt#R3');
    const [order, tick, pending] = evidenceEvents(r, check);
    expect([order?.src, order?.type, order?.data.reduceOnly]).toEqual(['venue', 'order.new', false]);
    expect([tick?.src, tick?.type]).toEqual(['market', 'tick']);
    expect([pending?.type, pending?.data.side]).toEqual(['order.new', order?.data.side]);
    // The pending order really was still working: its last fill came after the new order.
    const fills = r.events.filter((e) => e.type === 'order.fill' && e.data.orderId === pending?.data.orderId);
    expect(fills.map((f) => f.data.status)).toEqual(['PARTIALLY_FILLED', 'FILLED']);
    expect(fills[1]?.seq).toBeGreaterThan(order?.seq as number);
    // Right after the new order filled, the venue position plus the rest still pending was beyond 1100 USD.
    const filled = r.events.find((e) => e.type === 'order.fill' && e.data.orderId === order?.data.orderId);
    const rest = Number(pending?.data.qty) - Number(fills[0]?.data.cumQty);
    const worst = Math.abs(Number(filled?.data.positionAfter)) + rest;
    expect(filled?.seq).toBeLessThan(fills[1]?.seq as number);
    expect(worst * Number(tick?.data.mid)).toBeGreaterThan(1100);
  });

  it('hardened keeps counting the working order and stays within the limit', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // At least the entry before and the half-filled entry (CI's load leaves time for no more in 14 s).
    expect(check.stats.judged).toBeGreaterThanOrEqual(2);
    expect(check.stats.overExposed).toBe(0);
    // Not vacuous: an order really stayed half-filled for seconds, and the bot looked it up instead of forgetting it.
    const partial = r.events.find((e) => e.type === 'order.fill' && e.data.status === 'PARTIALLY_FILLED');
    const done = r.events.find((e) => e.type === 'order.fill' && e.data.orderId === partial?.data.orderId && e.data.status === 'FILLED');
    expect((done?.t as number) - (partial?.t as number)).toBeGreaterThan(9000);
    expect(r.events.some((e) => e.type === 'http.request' && e.data.method === 'GET' && e.data.path === '/fapi/v1/order')).toBe(true);
    // No order was sent while it worked.
    expect(r.events.filter((e) => e.type === 'order.new' && e.seq > (partial?.seq as number) && e.seq < (done?.seq as number))).toEqual([]);
  });
});
