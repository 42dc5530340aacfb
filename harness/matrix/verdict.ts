import type { ScenarioSummary } from '../report/summary.ts';
import type { FlawPlan } from './plan.ts';

/**
 * One repetition of one matrix row, judged. A flaw is detected (the mutant is killed) in a
 * repetition when at least one expected check (a check citing the flaw's findings) answers
 * `valid: false` in one of the flaw's scenarios: a finding can be exercised by several scenarios,
 * each probing another way to fail it, and a flaw shows in those that probe its way. Any check
 * that does not cite the flaw's findings answering false is cross-talk (a false alarm: the check
 * or the flaw is not specific). For the hardened row, every check must answer `valid: true`:
 * unknown is not a pass.
 */
export type CellVerdict = 'detected' | 'missed' | 'pass' | 'false-alarm' | 'unknown' | 'error';

export interface Cell {
  verdict: CellVerdict;
  /** What decided it, e.g. `ws-disconnect-stale-prices/stale-market-data=false`. */
  details: string[];
  runDir?: string;
  seed: number;
}

const show = (v: true | false | 'unknown') => (v === 'unknown' ? 'unknown' : String(v));

export function judgeFlaw(plan: FlawPlan, scenarios: readonly ScenarioSummary[]): Pick<Cell, 'verdict' | 'details'> {
  const details: string[] = [];
  let caught = false;
  let crossTalk = false;
  let errored = false;
  for (const e of plan.expect) {
    const s = scenarios.find((x) => x.id === e.scenario);
    if (!s) {
      errored = true;
      details.push(`${e.scenario}: not run`);
      continue;
    }
    if (s.error) {
      errored = true;
      details.push(`${e.scenario}: ${s.error}`);
    }
    for (const c of s.checks) {
      const expected = e.checks.includes(c.name);
      if (expected) {
        details.push(`${s.id}/${c.name}=${show(c.valid)}`);
        if (c.valid === false) caught = true;
      } else if (c.valid === false) {
        crossTalk = true;
        details.push(`${s.id}/${c.name}=false (unrelated)`);
      }
    }
    for (const name of e.checks) {
      if (!s.checks.some((c) => c.name === name)) details.push(`${s.id}/${name}: no result`);
    }
  }
  const verdict: CellVerdict = errored ? 'error' : crossTalk ? 'false-alarm' : caught ? 'detected' : 'missed';
  return { verdict, details };
}

export function judgeHardened(scenarioIds: readonly string[], scenarios: readonly ScenarioSummary[]): Pick<Cell, 'verdict' | 'details'> {
  const details: string[] = [];
  let verdict: CellVerdict = 'pass';
  for (const id of scenarioIds) {
    const s = scenarios.find((x) => x.id === id);
    if (!s || s.error) {
      verdict = 'error';
      details.push(`${id}: ${s?.error ?? 'not run'}`);
      continue;
    }
    for (const c of s.checks) {
      if (c.valid === false) {
        verdict = 'false-alarm';
        details.push(`${id}/${c.name}=false`);
      } else if (c.valid === 'unknown') {
        if (verdict === 'pass') verdict = 'unknown';
        details.push(`${id}/${c.name}=unknown`);
      }
    }
  }
  return { verdict, details };
}
