import { expect } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import type { ScenarioSummary } from '../../harness/report/summary.ts';
import type { CliResult, RunArtifacts } from './cli-run.ts';
import { leftovers } from './cli-run.ts';

type Run = CliResult & RunArtifacts;
type CheckSummary = ScenarioSummary['checks'][number];

/**
 * The verdict every flaw test asserts first: the run failed (exit 1), `check` is the only check
 * that is false (besides `alsoMay`: checks citing the same finding), and it cites `finding` when
 * one is given. Returns the check for the test's own evidence assertions.
 */
export function expectOnlyCheckFails(r: Run, check: string, finding?: string, alsoMay: readonly string[] = []): CheckSummary {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
  const checks = r.summary.scenarios[0]?.checks ?? [];
  expect(
    checks.filter((c) => c.name !== check && !alsoMay.includes(c.name) && c.valid === false).map((c) => c.name),
    'no unrelated check may fail',
  ).toEqual([]);
  const found = checks.find((c) => c.name === check);
  expect(found?.valid, `${check} should fail`).toBe(false);
  expect(found?.violations.length).toBeGreaterThan(0);
  if (finding) expect(found?.findings).toContain(finding);
  return found as CheckSummary;
}

/**
 * The hardened side: exit 0, verdict pass, `check` true, and nothing left running. Returns the
 * check so the test can prove it was not vacuous from its stats.
 */
export function expectCheckPasses(r: Run, check: string): CheckSummary {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.summary.verdict).toBe('pass');
  const found = r.summary.scenarios[0]?.checks.find((c) => c.name === check);
  expect(found?.valid, `${check} should pass`).toBe(true);
  expect(leftovers(r.events)).toEqual([]);
  return found as CheckSummary;
}

/** The history events a violation's evidence seqs point at, offending event first. */
export function evidenceEvents(r: Run, check: CheckSummary, violation = 0): HistoryEvent[] {
  const bySeq = new Map(r.events.map((e) => [e.seq, e]));
  const seqs = check.violations[violation]?.evidence ?? [];
  const events = seqs.map((s) => bySeq.get(s));
  expect(
    events.every((e) => e !== undefined),
    `evidence seqs ${seqs.join(',')} are all in the history`,
  ).toBe(true);
  return events as HistoryEvent[];
}
