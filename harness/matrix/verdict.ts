import type { ScenarioSummary } from '../report/summary.ts';
import type { FlawPlan } from './plan.ts';

/**
 * One repetition of one matrix row, judged. A flaw is detected in a repetition when, in every
 * scenario mapped to it, every expected check answers `valid: false`; any other check answering
 * false is cross-talk (an unrelated check fails: the check or the flaw is not specific). For the
 * hardened row, every check must answer `valid: true`: unknown is not a pass.
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
  let missed = false;
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
        if (c.valid !== false) missed = true;
      } else if (c.valid === false) {
        crossTalk = true;
        details.push(`${s.id}/${c.name}=false (unrelated)`);
      }
    }
    for (const name of e.checks) {
      if (!s.checks.some((c) => c.name === name)) {
        missed = true;
        details.push(`${s.id}/${name}: no result`);
      }
    }
  }
  const verdict: CellVerdict = errored ? 'error' : crossTalk ? 'false-alarm' : missed ? 'missed' : 'detected';
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
