import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * foreign-order-survives-stop through the real CLI: an operator's resting order on refbot's
 * account. With cancel-all-on-stop the SIGTERM cleanup cancels it with DELETE allOpenOrders
 * (000_2ae31cbfe79758d1.txt#E-M12); hardened lists the open orders and leaves it alone.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#E-M12';
const SEED = 17;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-foreign-order-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'foreign-order-survives-stop', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`foreign-order-survives-stop on refbot (${FINDING})`, () => {
  it('cancel-all-on-stop cancels the operator’s order at shutdown', async () => {
    const r = await run('cancel-all-on-stop');
    const check = expectOnlyCheckFails(r, 'own-orders-only', FINDING);
    const [cancel, placed, request] = evidenceEvents(r, check);
    expect(cancel?.type).toBe('order.cancel');
    expect(cancel?.data).toMatchObject({ clientOrderId: 'faultline-manual-f1', reason: 'user' });
    expect(placed?.type).toBe('foreign.order');
    expect(placed?.data.orderId).toBe(cancel?.data.orderId);
    expect(request?.data).toMatchObject({ method: 'DELETE', path: '/fapi/v1/allOpenOrders', status: 200 });
    // It happened in the shutdown: after SIGTERM, before the exit.
    const exit = r.events.find((e) => e.type === 'target.exit');
    expect(cancel?.seq).toBeLessThan(exit?.seq as number);
  });

  it('hardened leaves the operator’s order alone through its shutdown', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'own-orders-only');
    expect(check.stats).toMatchObject({ foreignOrders: 1, foreignCancelled: 0, foreignFilled: 0, exitsAfter: 1 });
    // Not vacuous: the bot traded, and its cleanup read the open orders (the foreign one among them) after it was placed.
    const placed = r.events.find((e) => e.type === 'foreign.order');
    expect(r.events.filter((e) => e.type === 'order.new' && String(e.data.clientOrderId).startsWith('rb-')).length).toBeGreaterThan(0);
    expect(
      r.events.some((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/openOrders' && e.data.status === 200 && e.seq > (placed?.seq as number)),
    ).toBe(true);
    expect(r.events.some((e) => e.type === 'order.cancel' && e.data.clientOrderId === 'faultline-manual-f1')).toBe(false);
  });
});
