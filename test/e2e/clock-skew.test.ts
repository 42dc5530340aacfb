import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderNewData } from '../../harness/history/types.ts';
import { leftovers, ROOT, type RunArtifacts, runScenario } from './cli-run.ts';

/**
 * venue-clock-skew-fails-closed through the real CLI on the local runtime: the venue's clock falls
 * 5 s behind refbot's for 10 s. Naive's drift guard raises, its broad except resets the offset to 0
 * and it keeps signing orders that meet -1021; hardened halts new risk after the first -1021 and
 * resumes once a later sync finds the clocks agree.
 */
const FINDING = '003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of';
const REPEAT = Number(process.env.FAULTLINE_E2E_REPEAT_CLOCK_SKEW ?? 1);
const SEED = 3;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-clock-skew-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

async function runProfile(profile: string): Promise<RunArtifacts & { code: number | null; stdout: string; stderr: string }> {
  return runScenario({ scenario: 'venue-clock-skew-fails-closed', profile, seed: SEED, reportsDir });
}

const runs = Array.from({ length: REPEAT }, (_, i) => i + 1);

describe(`venue-clock-skew-fails-closed on refbot (${FINDING})`, () => {
  it.each(runs)('naive profile keeps signing with a known-bad clock (run %i)', async () => {
    const r = await runProfile('naive');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.summary.verdict).toBe('fail');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'clock-skew-fails-closed');
    expect(check?.valid).toBe(false);
    expect(check?.findings).toContain(FINDING);
    expect(check?.violations.length).toBeGreaterThan(0);
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    for (const v of check?.violations ?? []) {
      const [offSeq, firstSeq, faultSeq] = v.evidence as [number, number, number];
      const off = bySeq.get(offSeq);
      const first = bySeq.get(firstSeq);
      const fault = bySeq.get(faultSeq);
      if (!off || !first || !fault) throw new Error(`evidence ${v.evidence.join(', ')} is not in the history`);
      expect(fault.type).toBe('fault.start');
      expect(fault.data.kind).toBe('venue-clock-skew');
      expect(first.type).toBe('http.request');
      expect(first.data.code).toBe(-1021);
      expect(firstSeq).toBeGreaterThan(faultSeq);
      if (off.type === 'order.new') {
        expect((off.data as OrderNewData).reduceOnly).toBe(false);
      } else {
        expect(v.message).toMatch(/kept sending with a known-bad clock/);
        expect(off.data.code).toBe(-1021);
        expect(offSeq).toBeGreaterThan(firstSeq);
      }
    }
    // The naive bot never says it halted: it reset its offset and went on.
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'halt')).toBe(false);
    expect(leftovers(r.events)).toEqual([]);
    expect(r.stdout).toMatch(/^report: /m);
  });

  it.each(runs)('hardened profile halts on the skew, resumes after it and is not vacuous (run %i)', async () => {
    const r = await runProfile('hardened');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.summary.verdict).toBe('pass');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'clock-skew-fails-closed');
    expect(check?.valid).toBe(true);
    expect(check?.stats.windows).toBe(1);
    expect(check?.stats.signedInWindows).toBeGreaterThan(0);
    expect(check?.stats.rejected1021).toBeGreaterThan(0);
    expect(check?.stats.rejected1021).toBeLessThanOrEqual(2);
    expect(check?.stats.riskAcceptedAfterKnown).toBe(0);
    const start = r.events.find((e) => e.type === 'fault.start');
    const end = r.events.find((e) => e.type === 'fault.end');
    const halt = r.events.find((e) => e.type === 'probe' && e.data.probe === 'halt');
    const resume = r.events.find((e) => e.type === 'probe' && e.data.probe === 'resume');
    expect(halt?.data.reason).toBe('clock-skew');
    expect(Math.abs(halt?.data.offsetMs as number)).toBeGreaterThan(4000);
    expect(halt?.seq).toBeGreaterThan(start?.seq as number);
    expect(resume?.seq).toBeGreaterThan(end?.seq as number);
    // It trades again after the skew: an order accepted after the resume probe.
    expect(r.events.some((e) => e.type === 'order.new' && e.seq > (resume?.seq as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
