import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * user-stream-gap-refetch through the real CLI: refbot's user-data link is cut for 3 s while its
 * orders fill in slices. With flaw no-resync-after-user-stream-gap it trades on without re-reading
 * its position; with resync-skips-open-orders it re-reads positions but not open orders; hardened
 * waits for the stream, GETs positionRisk and openOrders, then trades.
 */
const RECONNECT = '003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but';
const OPEN_ORDERS = '003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via';
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-user-gap-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'user-stream-gap-refetch', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe('user-stream-gap-refetch on refbot', () => {
  it.each([
    ['no-resync-after-user-stream-gap', RECONNECT],
    ['resync-skips-open-orders', OPEN_ORDERS],
  ])('flaw %s fails private-state-refetched', async (flaw, finding) => {
    const r = await run(flaw);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    const check = checks.find((c) => c.name === 'private-state-refetched');
    expect(check?.valid).toBe(false);
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual(['private-state-refetched']);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    expect(check?.violations.length).toBeGreaterThan(0);
    for (const v of check?.violations ?? []) {
      expect(v.message).toContain(finding);
      const [orderSeq, gapSeq, reopenSeq] = v.evidence;
      const order = bySeq.get(orderSeq as number);
      const gap = bySeq.get(gapSeq as number);
      expect(order?.type).toBe('order.new');
      expect(['ws.close', 'listenKey.expired']).toContain(gap?.type);
      expect((order?.data as OrderNewData | undefined)?.reduceOnly).toBe(false);
      expect(orderSeq).toBeGreaterThan(gapSeq as number);
      // Between the reopen and the order: no positionRisk (no-resync) or no openOrders (resync-skips-open-orders).
      const between = r.events.filter((e) => e.seq > (reopenSeq ?? gapSeq ?? 0) && e.seq < (orderSeq as number) && e.type === 'http.request');
      const paths = between.filter((e) => e.data.method === 'GET').map((e) => e.data.path);
      expect(paths).not.toContain('/fapi/v1/openOrders');
      if (flaw === 'no-resync-after-user-stream-gap') expect(paths).not.toContain('/fapi/v2/positionRisk');
      else expect(paths).toContain('/fapi/v2/positionRisk');
    }
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened re-fetches positions and open orders after the gap before new risk', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'private-state-refetched');
    expect(check?.valid).toBe(true);
    expect(check?.stats.judged).toBeGreaterThanOrEqual(1);
    expect(check?.stats.refetched).toBe(check?.stats.judged);
    // The gap really happened and the bot said it re-synced.
    expect(r.events.some((e) => e.type === 'ws.close' && e.data.kind === 'user')).toBe(true);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'resync' && typeof e.data.openOrders === 'number')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
