import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * kill-switch-state-corrupt-on-restart through the real CLI: refbot is halted by its circuit
 * breaker, SIGKILLed, its persisted halt turned into garbage, and restarted. With
 * kill-switch-start-failure-swallowed it logs the failure and trades without a kill switch
 * (001_0474a2fd1532b929.txt#C5); hardened sets the file aside and stays halted for a cooldown.
 */
const FINDING = '001_0474a2fd1532b929.txt#C5';
const SEED = 17;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kill-switch-corrupt-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kill-switch-state-corrupt-on-restart', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

const probes = (events: HistoryEvent[], name: string) => events.filter((e) => e.type === 'probe' && e.data.probe === name);
const starts = (events: HistoryEvent[]) => events.filter((e) => e.type === 'target.start');

describe(`kill-switch-state-corrupt-on-restart on refbot (${FINDING})`, () => {
  it('kill-switch-start-failure-swallowed trades without its kill switch after the restart', async () => {
    const r = await run('kill-switch-start-failure-swallowed');
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
    expect(halt?.type === 'probe' && halt.data.probe === 'halt' && halt.data.reason === 'consecutive-rejects').toBe(true);
    // The state file was corrupted before the restart that then traded, and the bot never said halt or resume again.
    const corrupted = r.events.find((e) => e.type === 'file.corrupted');
    const restart = starts(r.events)[1];
    expect(corrupted?.seq).toBeGreaterThan(halt?.seq as number);
    expect(corrupted?.seq).toBeLessThan(restart?.seq as number);
    expect(restart?.seq).toBeLessThan(order?.seq as number);
    expect(probes(r.events, 'halt')).toHaveLength(1);
    expect(probes(r.events, 'resume')).toEqual([]);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened fails closed: halted for a cooldown after the restart, then resumes and trades', async () => {
    const r = await run();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'halt-gates-all-orders');
    expect(check?.valid).toBe(true);
    expect(check?.stats).toMatchObject({ halts: 2, restartsWhileHalted: 1, riskWhileHalted: 0, earlyResumes: 0 });
    const [first, unreadable] = probes(r.events, 'halt');
    const resume = probes(r.events, 'resume')[0];
    const restart = starts(r.events)[1];
    expect(first?.data.reason).toBe('consecutive-rejects');
    expect(unreadable?.data.reason).toBe('halt-state-unreadable');
    expect(unreadable?.seq).toBeGreaterThan(restart?.seq as number);
    expect(resume?.data).toEqual({ probe: 'resume', cause: 'halt-state-unreadable' });
    expect((resume?.t as number) - (unreadable?.t as number)).toBeGreaterThanOrEqual(4500);
    // Not vacuous: risk before the first halt and after the resume.
    const risk = r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false);
    expect(risk.some((e) => e.seq < (first?.seq as number))).toBe(true);
    expect(risk.some((e) => e.seq > (resume?.seq as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
