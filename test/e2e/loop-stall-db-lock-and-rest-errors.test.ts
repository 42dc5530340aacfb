import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * loop-stall-db-lock-and-rest-errors through the real CLI: refbot's SQLite journal is locked for
 * 3 s, then the REST endpoint it polls answers 503 for 3 s, then 2.5 s late for 3 s.
 * Each flaw alone stalls the event loop
 * (heartbeat gap) during its fault; hardened keeps beating through both.
 */
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-loop-stall-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const CHECK = 'loop-never-stalls';

function stallEvidence(events: HistoryEvent[], evidence: number[]): { after: HistoryEvent; before: HistoryEvent; faults: HistoryEvent[] } {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const [afterSeq, beforeSeq, ...faultSeqs] = evidence;
  const after = bySeq.get(afterSeq as number);
  const before = bySeq.get(beforeSeq as number);
  const faults = faultSeqs.map((s) => bySeq.get(s));
  if (!after || !before || faults.some((f) => !f)) throw new Error(`evidence ${evidence.join(', ')} is not in the history`);
  return { after, before, faults: faults as HistoryEvent[] };
}

describe('loop-stall-db-lock-and-rest-errors on refbot', () => {
  it.each([
    ['sqlite-on-loop', 'sqlite-lock'],
    ['blocking-rest-retry', 'rest-error'],
    ['lock-held-during-io', 'rest-slow'],
  ])('flaw %s alone stalls the loop during %s', async (flaw, kind) => {
    const r = await runScenario({ scenario: 'loop-stall-db-lock-and-rest-errors', profile: 'hardened', flaws: flaw, seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.valid === false).map((c) => c.name)).toEqual([CHECK]);
    const check = checks.find((c) => c.name === CHECK);
    expect(check?.violations.length).toBeGreaterThan(0);
    const during: string[] = [];
    for (const v of check?.violations ?? []) {
      const { after, before, faults } = stallEvidence(r.events, v.evidence);
      // Two heartbeats of the bot's loop, more than the bound apart, across the fault.
      expect(before.data.probe).toBe('heartbeat');
      expect(after.data.probe).toBe('heartbeat');
      expect(after.t - before.t).toBeGreaterThan(1000);
      for (const f of faults) {
        expect(f.type).toBe('fault.start');
        expect(f.t).toBeLessThan(after.t);
        during.push(String(f.data.kind));
      }
    }
    // The flaw's own fault stalls the loop (others may too: e.g. a blocking retry on a stalled link).
    expect(during).toContain(kind);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened keeps beating through all three faults', async () => {
    const r = await runScenario({ scenario: 'loop-stall-db-lock-and-rest-errors', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === CHECK);
    expect(check?.valid).toBe(true);
    expect(check?.stats.faults).toBe(3);
    expect(check?.stats.heartbeatsDuringFaults).toBeGreaterThan(20);
    expect(check?.stats.maxGapMs).toBeLessThanOrEqual(1000);
    // Not vacuous: the database really was locked and the endpoint really failed for the bot.
    expect(r.events.some((e) => e.type === 'lock.acquired')).toBe(true);
    expect(r.events.some((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/ticker/bookTicker' && e.data.status === 503)).toBe(true);
    expect(r.events.filter((e) => e.type === 'order.new').length).toBeGreaterThan(5);
    expect(leftovers(r.events)).toEqual([]);
  });
});
