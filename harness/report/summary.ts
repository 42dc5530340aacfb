import type { ScenarioOutcome, Verdict } from '../runner/scenario-run.ts';

/** summary.json, schema version 1. Additive changes keep the version; anything else bumps it. */
export interface RunSummary {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  seed: number;
  runtime: string;
  target: string;
  targetOptions: Record<string, string>;
  /** Overall verdict: fail if any scenario failed, else unknown if any was unknown, else pass. */
  verdict: Verdict;
  exitCode: number;
  /** Set when the run was interrupted (SIGINT/SIGTERM); the history holds everything recorded until then. */
  interrupted?: string;
  /** One command that reruns this exact run (same seed, target, options, runtime). */
  rerun: string;
  /** Relative to the run folder. */
  files: { history: string; summary: string; junit: string };
  scenarios: ScenarioSummary[];
}

export interface ScenarioSummary {
  id: string;
  title: string;
  findings: string[];
  verdict: Verdict;
  durationMs: number;
  error?: string;
  interrupted?: string;
  schedule: ScenarioOutcome['schedule'];
  checks: {
    name: string;
    findings: readonly string[];
    valid: true | false | 'unknown';
    violations: { t: number; instance?: string; message: string; evidence: number[] }[];
    notes: string[];
    stats: Record<string, number>;
  }[];
}

export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.length === 0 || verdicts.includes('unknown')) return 'unknown';
  return 'pass';
}

export function scenarioSummary(o: ScenarioOutcome): ScenarioSummary {
  const s: ScenarioSummary = {
    id: o.id,
    title: o.title,
    findings: o.findings,
    verdict: o.verdict,
    durationMs: o.durationMs,
    schedule: o.schedule,
    checks: o.checks.map((c) => ({
      name: c.name,
      findings: c.findings,
      valid: c.valid,
      violations: c.violations,
      notes: c.notes,
      stats: c.stats,
    })),
  };
  if (o.error) s.error = o.error;
  if (o.interrupted) s.interrupted = o.interrupted;
  return s;
}
