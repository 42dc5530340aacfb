import type { Verdict } from '../runner/scenario-run.ts';
import type { RunSummary } from './summary.ts';

/** Shared, pure views of a summary used by the HTML, Markdown and index renderers. */

export function verdictCounts(summary: Pick<RunSummary, 'scenarios'>): Record<Verdict, number> {
  const counts = { pass: 0, fail: 0, unknown: 0 };
  for (const s of summary.scenarios) counts[s.verdict]++;
  return counts;
}

/** fail beats unknown beats pass (Jepsen-style); nothing at all is unknown. */
export function worst(vs: readonly Verdict[]): Verdict {
  if (vs.includes('fail')) return 'fail';
  if (vs.length === 0 || vs.includes('unknown')) return 'unknown';
  return 'pass';
}

export const verdictOfValid = (v: true | false | 'unknown'): Verdict => (v === true ? 'pass' : v === false ? 'fail' : 'unknown');

export interface FindingRow {
  finding: string;
  verdict: Verdict;
  checks: string[];
  scenarios: string[];
}

/**
 * One row per audit finding: the worst verdict of every check that cites it. A finding a
 * scenario lists but no check cites is unknown (nothing judged it).
 */
export function findingScorecard(summary: Pick<RunSummary, 'scenarios'>): FindingRow[] {
  const rows = new Map<string, { verdicts: Verdict[]; checks: Set<string>; scenarios: Set<string> }>();
  const row = (f: string) => {
    let r = rows.get(f);
    if (!r) {
      r = { verdicts: [], checks: new Set(), scenarios: new Set() };
      rows.set(f, r);
    }
    return r;
  };
  for (const s of summary.scenarios) {
    for (const f of s.findings) row(f).scenarios.add(s.id);
    for (const c of s.checks) {
      // A check encoding several findings speaks, in this scenario, for the findings the scenario
      // exercises: a config check passing on a bad symbol says nothing about bad numbers. Only a
      // check the scenario cites none of the findings of speaks for all of its own.
      const exercised = c.findings.filter((f) => s.findings.includes(f));
      for (const f of exercised.length > 0 ? exercised : c.findings) {
        const r = row(f);
        r.verdicts.push(verdictOfValid(c.valid));
        r.checks.add(c.name);
        r.scenarios.add(s.id);
      }
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([finding, r]) => ({ finding, verdict: worst(r.verdicts), checks: [...r.checks], scenarios: [...r.scenarios] }));
}

/** The run's rerun command narrowed to one scenario (ids are kebab-case, never quoted). */
export function scenarioRerun(rerun: string, scenarioId: string): string {
  const m = /^(npx faultline run )(.+?)( --target .*)$/.exec(rerun);
  return m ? `${m[1]}${scenarioId}${m[3]}` : rerun;
}
