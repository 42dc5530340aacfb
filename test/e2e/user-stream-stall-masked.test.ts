import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * user-stream-stall-masked through the real CLI: refbot's user-data link stalls for 14 s while its
 * market stream flows. With user-stream-aggregate-liveness it never notices (its only liveness
 * signal, the aggregate message count, keeps moving) and trades on blind; hardened's ping on the
 * user connection goes unanswered, it closes the stream, reconnects and re-fetches before new risk.
 */
const FINDING = '003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts';
const CHECK = 'private-state-refetched';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-user-stall-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'user-stream-stall-masked', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`user-stream-stall-masked on refbot (${FINDING})`, () => {
  it('with user-stream-aggregate-liveness the dead user stream goes unnoticed and risk is opened blind', async () => {
    const r = await run('user-stream-aggregate-liveness');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [order, stall] = evidenceEvents(r, check);
    expect(order?.type).toBe('order.new');
    expect((order?.data as OrderNewData | undefined)?.reduceOnly).toBe(false);
    expect(stall?.type).toBe('fault.start');
    expect(stall?.data).toMatchObject({ kind: 'link-stall', link: 'user-ws' });
    expect(check.violations[0]?.message).toContain(FINDING);
    expect((order?.t ?? 0) - (stall?.t ?? 0)).toBeGreaterThan(9000);
    // Until the order, the bot never closed or reopened its stalled user stream.
    const userOpens = r.events.filter((e) => e.type === 'ws.open' && e.data.kind === 'user' && e.seq < (order?.seq ?? 0));
    const userCloses = r.events.filter((e) => e.type === 'ws.close' && e.data.kind === 'user' && e.seq < (order?.seq ?? 0));
    expect(userOpens).toHaveLength(1);
    expect(userCloses).toEqual([]);
  });

  it('hardened notices the stall through its own ping, reconnects and re-fetches before new risk', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.silentGaps).toBe(1);
    expect(check.stats.judged).toBeGreaterThanOrEqual(1);
    expect(check.stats.refetched).toBe(check.stats.judged);
    const stall = r.events.find((e) => e.type === 'fault.start' && e.data.kind === 'link-stall');
    const closed = r.events.find((e) => e.type === 'ws.close' && e.data.kind === 'user' && e.seq > (stall?.seq ?? 0));
    expect(closed, 'the bot closed its stalled user connection').toBeDefined();
    expect((closed?.t ?? 0) - (stall?.t ?? 0)).toBeLessThan(9000);
  });
});
