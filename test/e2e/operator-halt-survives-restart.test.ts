import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * operator-halt-survives-restart through the real CLI: the operator halts refbot through its
 * control API, then refbot is SIGKILLed and restarted inside the halt's 5 s cooldown. With only
 * operator-halt-not-persisted the restarted process has lost the override and opens risk
 * (002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted); hardened restores it and resumes only
 * after the cooldown.
 */
const FINDING = '002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted';
const CHECK = 'halt-gates-all-orders';
const SEED = 37;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-operator-halt-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'operator-halt-survives-restart', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
type Run = Awaited<ReturnType<typeof run>>;
const probes = (r: Run, name: string) => r.events.filter((e) => e.type === 'probe' && e.data.probe === name);
const starts = (r: Run) => r.events.filter((e) => e.type === 'target.start');
const controlHalt = (r: Run) => r.events.find((e) => e.src === 'fault' && e.type === 'control.halt');

describe(`operator-halt-survives-restart on refbot (${FINDING})`, () => {
  it('operator-halt-not-persisted drops the override on restart and opens risk inside the cooldown', async () => {
    const r = await run('operator-halt-not-persisted');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.stats.restartsWhileHalted).toBe(1);
    const [order, halt] = evidenceEvents(r, check);
    expect(order?.type).toBe('order.new');
    expect(halt?.type === 'probe' && halt.data.probe === 'halt' && halt.data.reason === 'control-api').toBe(true);
    // The halt answered the operator's request; the order came from the restarted process within the cooldown.
    expect(controlHalt(r)?.data.status).toBe(200);
    expect(Math.abs((controlHalt(r)?.t as number) - (halt?.t as number))).toBeLessThan(1000); // the answer is recorded after the bot's probe
    const restart = starts(r)[1];
    expect(restart?.seq).toBeGreaterThan(halt?.seq as number);
    expect(restart?.seq).toBeLessThan(order?.seq as number);
    expect((order?.t as number) - (halt?.t as number)).toBeLessThan(5000);
    expect(probes(r, 'resume')).toEqual([]);
    expect(probes(r, 'halt')).toHaveLength(1); // nothing restored
  });

  it('hardened restores the override after the restart and resumes only after the cooldown', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats).toMatchObject({ halts: 1, resumes: 1, earlyResumes: 0, restartsWhileHalted: 1, riskWhileHalted: 0 });
    expect(controlHalt(r)?.data.status).toBe(200);
    const [halt, restored] = probes(r, 'halt');
    const resume = probes(r, 'resume')[0];
    expect(restored?.data.restored).toBe(true);
    expect(restored?.seq).toBeGreaterThan(starts(r)[1]?.seq as number);
    expect((resume?.t as number) - (halt?.t as number)).toBeGreaterThanOrEqual(4500);
    // Not vacuous: it traded before the halt and after resuming.
    const risk = r.events.filter((e) => e.type === 'order.new' && e.data.reduceOnly === false);
    expect(risk.some((e) => e.seq < (halt?.seq as number))).toBe(true);
    expect(risk.some((e) => e.seq > (resume?.seq as number))).toBe(true);
  });
});
