import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * halt-survives-restart through the real CLI: three rejected entries trip refbot's circuit
 * breaker, then refbot is SIGKILLed and restarted while halted. With halt-not-persisted the new
 * process starts un-halted and trades at once (001_0474a2fd1532b929.txt#M9); hardened restores
 * the halt from STATE_DIR and resumes only after the cooldown.
 */
const FINDING = '001_0474a2fd1532b929.txt#M9';
const SEED = 13;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-halt-restart-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'halt-survives-restart', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

const probes = (events: HistoryEvent[], name: string) => events.filter((e) => e.type === 'probe' && e.data.probe === name);
const starts = (events: HistoryEvent[]) => events.filter((e) => e.type === 'target.start');

describe(`halt-survives-restart on refbot (${FINDING})`, () => {
  it('halt-not-persisted forgets the halt on restart and opens risk without resuming', async () => {
    const r = await run('halt-not-persisted');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const checks = r.summary.scenarios[0]?.checks ?? [];
    expect(checks.filter((c) => c.name !== 'halt-gates-all-orders' && c.valid === false)).toEqual([]);
    const check = checks.find((c) => c.name === 'halt-gates-all-orders');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(check?.stats.restartsWhileHalted).toBe(1);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const [orderSeq, haltSeq] = check?.violations[0]?.evidence ?? [];
    const order = bySeq.get(orderSeq as number);
    const halt = bySeq.get(haltSeq as number);
    expect(order?.type).toBe('order.new');
    expect(halt?.type === 'probe' && halt.data.probe === 'halt' && halt.data.reason === 'consecutive-rejects').toBe(true);
    // The breaker tripped on real rejections; the order came from the restarted process, which never said resume.
    const rejected = r.events.filter(
      (e) => e.type === 'http.request' && e.data.path === '/fapi/v1/order' && e.data.code === -4131 && e.seq < (halt?.seq as number),
    );
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    const restart = starts(r.events)[1];
    expect(restart?.seq).toBeGreaterThan(halt?.seq as number);
    expect(restart?.seq).toBeLessThan(order?.seq as number);
    expect(probes(r.events, 'resume')).toEqual([]);
    expect(probes(r.events, 'halt')).toHaveLength(1); // nothing restored
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened restores the halt after the restart and resumes only after the cooldown', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'halt-gates-all-orders');
    expect(check?.valid).toBe(true);
    expect(check?.stats).toMatchObject({ halts: 1, resumes: 1, earlyResumes: 0, restartsWhileHalted: 1, riskWhileHalted: 0 });
    const [halt, restored] = probes(r.events, 'halt');
    const resume = probes(r.events, 'resume')[0];
    const restart = starts(r.events)[1];
    expect(restored?.data.restored).toBe(true);
    expect(restored?.seq).toBeGreaterThan(restart?.seq as number);
    expect((resume?.t as number) - (halt?.t as number)).toBeGreaterThanOrEqual(4500);
    // Not vacuous: it traded before the halt and after resuming.
    const risk = r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false);
    expect(risk.some((e) => e.seq < (halt?.seq as number))).toBe(true);
    expect(risk.some((e) => e.seq > (resume?.seq as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
