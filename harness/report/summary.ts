import type { ScenarioOutcome, Verdict } from '../runner/scenario-run.ts';
import type { TargetFingerprint } from './fingerprint.ts';

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
  /** Relative to the run folder. `html` and `markdown` are additive (absent in older summaries). */
  files: { history: string; summary: string; junit: string; html?: string; markdown?: string };
  scenarios: ScenarioSummary[];
  /**
   * Additive: a hash of the target's code when the run was reported. Runs with equal fingerprints
   * ran the same bot code, so a verdict change between them is flakiness, not a fix or regression.
   */
  targetFingerprint?: TargetFingerprint;
  /**
   * Additive: the history ends without run.end (the harness was killed). Every recorded event was
   * used; verdicts the missing rest could have changed are unknown (a violation still shows).
   */
  partial?: boolean;
  /**
   * Additive: selected scenarios the target cannot take part in (it lacks a capability they
   * require). They did not run and count neither as pass nor as fail.
   */
  notApplicable?: { id: string; title: string; missing: string[] }[];
  /** Additive: who wrote this summary: the run itself, or `faultline report` from history.jsonl. */
  source?: 'run' | 'history';
}

export interface ScenarioSummary {
  id: string;
  title: string;
  findings: string[];
  verdict: Verdict;
  durationMs: number;
  error?: string;
  interrupted?: string;
  /** Additive: the history ends inside this scenario (no scenario.end); see RunSummary.partial. */
  partial?: boolean;
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
