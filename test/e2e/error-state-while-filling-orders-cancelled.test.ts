import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * error-state-while-filling-orders-cancelled through the real CLI: a MARGIN_CALL sends refbot into
 * ERROR while its first order is still filling slice by slice (004_8a8a9a4995486b8f.txt#H-FSM-05).
 * With error-state-keeps-orders the order fills on behind the stopped bot; hardened cancels it.
 */
const SEED = 37;
const CHECK = 'halt-cancels-working';
const FINDING = '004_8a8a9a4995486b8f.txt#H-FSM-05';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-error-state-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'error-state-while-filling-orders-cancelled', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`error-state-while-filling-orders-cancelled on refbot (${FINDING})`, () => {
  it('error-state-keeps-orders: the order goes on filling after ERROR', async () => {
    const r = await run('error-state-keeps-orders');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations[0]?.message).toMatch(/still working 3000 ms after it declared ERROR \(margin call: BTCUSDT/);
    const [late, order, error, cause] = evidenceEvents(r, check);
    expect(late?.type).toBe('order.fill');
    expect(order?.type).toBe('order.new');
    expect(error?.data).toMatchObject({ probe: 'lifecycle', state: 'ERROR' });
    expect(cause?.data.kind).toBe('margin-call');
  });

  it('hardened: ERROR cancels the working order at the venue within the bound', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // Not vacuous: the bot did enter ERROR on the margin call with its order still working, and the venue cancelled it.
    expect(check.stats.workingAtHalt).toBeGreaterThanOrEqual(1);
    expect(check.stats.endedInTime).toBe(check.stats.workingAtHalt);
    const error = r.events.find((e) => e.type === 'probe' && e.data.probe === 'lifecycle' && e.data.state === 'ERROR');
    expect(String(error?.data.reason)).toMatch(/^margin call: /);
    expect(r.events.some((e) => e.type === 'order.cancel' && e.t > (error?.t ?? Number.POSITIVE_INFINITY))).toBe(true);
  });
});
