import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * depth-gap-resnapshot through the real CLI: refbot's diff-depth stream loses 3 events at 4 s
 * (depth-gap) and its market connections are closed at 8.5 s (ws-close). With depth-ignores-sequence
 * it applies diffs over the gap; with depth-resume-without-snapshot it keeps its old book across the
 * reconnect; either way it opens risk on a book that missed events. Hardened rebuilds the book from
 * GET /fapi/v1/depth each time first.
 */
const FINDING = '001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars';
const CHECK = 'depth-book-in-sync';
const SEED = 7;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-depth-gap-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'depth-gap-resnapshot', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`depth-gap-resnapshot on refbot (${FINDING})`, () => {
  it.each([
    ['depth-ignores-sequence', 'fault.start', /depth-gap dropped its depth events/],
    ['depth-resume-without-snapshot', 'ws.close', /the depth stream closed/],
  ])('flaw %s opens risk on a book that missed events', async (flaw, cause, why) => {
    const r = await run(flaw);
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    for (let i = 0; i < check.violations.length; i++) {
      const [order, outOfSync] = evidenceEvents(r, check, i);
      expect(order?.type).toBe('order.new');
      expect((order?.data as OrderNewData | undefined)?.reduceOnly).toBe(false);
      expect(check.violations[i]?.message).toMatch(why);
      // What put the book out of sync: the first dropped tick after the depth-gap fault, or the close.
      if (cause === 'fault.start') {
        expect(outOfSync?.type).toBe('tick');
        const fault = r.events.find((e) => e.type === 'fault.start' && e.data.kind === 'depth-gap');
        expect(fault && outOfSync && fault.seq < outOfSync.seq).toBe(true);
      } else {
        expect(outOfSync?.type).toBe('ws.close');
      }
      // No snapshot between the loss and the order.
      const snapshots = r.events.filter(
        (e) => e.type === 'http.request' && e.data.path === '/fapi/v1/depth' && e.seq > (outOfSync?.seq ?? 0) && e.seq < (order?.seq ?? 0),
      );
      expect(snapshots).toEqual([]);
    }
  });

  it('hardened rebuilds its book from a snapshot after the gap and after the reconnect, and trades on', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats).toMatchObject({ gaps: 1, reconnects: 1, onUnsynced: 0 });
    expect(check.stats.resynced).toBe(2);
    expect(check.stats.judged).toBeGreaterThanOrEqual(2);
  });
});
