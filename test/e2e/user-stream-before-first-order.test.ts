import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * user-stream-before-first-order through the real CLI: with user-stream-only-with-position refbot
 * starts flat and sends its first order before any user-data stream is open
 * (003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current); hardened
 * opens the stream first.
 */
const FINDING = '003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current';
const SEED = 47;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-user-stream-start-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'user-stream-before-first-order', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`user-stream-before-first-order on refbot (${FINDING})`, () => {
  it('user-stream-only-with-position sends its first order before any user-data stream', async () => {
    const r = await run('user-stream-only-with-position');
    const check = expectOnlyCheckFails(r, 'private-state-refetched', FINDING);
    const [order, start] = evidenceEvents(r, check);
    expect(order).toMatchObject({ type: 'order.new', instance: 'bot-1' });
    expect(start).toMatchObject({ type: 'target.start', instance: 'bot-1' });
    const firstUser = r.events.find((e) => e.type === 'ws.open' && e.data.kind === 'user');
    // The stream did come, but only after the order.
    expect(firstUser?.seq ?? Infinity).toBeGreaterThan(order?.seq ?? 0);
  });

  it('hardened opens its user-data stream before its first order', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'private-state-refetched');
    expect(check.stats).toMatchObject({ startGaps: 1, streamFirst: 1, tradedBeforeStream: 0 });
    const firstOrder = r.events.find((e) => e.type === 'order.new');
    const firstUser = r.events.find((e) => e.type === 'ws.open' && e.data.kind === 'user');
    expect(firstUser?.seq ?? Infinity).toBeLessThan(firstOrder?.seq ?? 0);
  });
});
