import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../core/errors.ts';
import type { Scenario } from '../core/scenario.ts';
import { HistoryWriter } from '../history/writer.ts';
import { targetFingerprint } from '../report/fingerprint.ts';
import { overallVerdict, type RunSummary, scenarioSummary } from '../report/summary.ts';
import type { Reporter } from '../report/types.ts';
import { writeReports } from '../report/write.ts';
import { startContainersRuntime } from '../runtimes/containers/index.ts';
import { startLocalRuntime } from '../runtimes/local/index.ts';
import { sweepOrphans } from '../runtimes/local/sweep.ts';
import type { ResolvedTarget } from '../targets/manifest.ts';
import { newRunId } from './run-id.ts';
import { runScenario, type ScenarioOutcome } from './scenario-run.ts';

export interface RunOptions {
  projectRoot: string;
  reportsDir: string;
  scenarios: Scenario[];
  /** Selected scenarios the target cannot take part in, with the capabilities it lacks (not run). */
  notApplicable?: { scenario: Scenario; missing: string[] }[];
  target: ResolvedTarget;
  /** What the user passed with --target-opt (for the rerun command; defaults are not repeated). */
  givenTargetOptions: Record<string, string>;
  seed: number;
  runtime: 'local' | 'containers';
  signal: AbortSignal;
  reporters: Reporter[];
  runId?: string;
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function rerunCommand(o: Pick<RunOptions, 'scenarios' | 'target' | 'givenTargetOptions' | 'seed' | 'runtime'>): string {
  const parts = ['npx', 'faultline', 'run', ...o.scenarios.map((s) => s.id), '--target', o.target.manifest.name];
  for (const [k, v] of Object.entries(o.givenTargetOptions)) parts.push('--target-opt', `${k}=${v}`);
  parts.push('--seed', String(o.seed), '--runtime', o.runtime);
  return parts.map(shellQuote).join(' ');
}

export function exitCodeFor(summary: Pick<RunSummary, 'verdict' | 'interrupted'>): number {
  if (summary.interrupted === 'SIGINT') return EXIT.sigint;
  if (summary.interrupted === 'SIGTERM') return EXIT.sigterm;
  return summary.verdict === 'pass' ? EXIT.ok : summary.verdict === 'fail' ? EXIT.violated : EXIT.inconclusive;
}

/** Points reports/latest at the run folder, atomically (a reader never sees it missing). */
function pointLatest(reportsDir: string, runId: string): void {
  const tmp = join(reportsDir, `.latest-${process.pid}-${runId}`);
  rmSync(tmp, { force: true });
  symlinkSync(runId, tmp);
  renameSync(tmp, join(reportsDir, 'latest'));
}

/** Runs scenarios one after another into one run folder and writes its reports. */
export async function run(opts: RunOptions): Promise<{ summary: RunSummary; runDir: string }> {
  const runId = opts.runId ?? newRunId();
  const runDir = join(opts.reportsDir, runId);
  mkdirSync(runDir, { recursive: true });
  const startedAt = new Date();
  const started = performance.now();
  const recorder = new HistoryWriter(join(runDir, 'history.jsonl'));
  const unsubscribe = recorder.subscribe((e) => {
    for (const r of opts.reporters) r.onEvent?.(e);
  });
  const rerun = rerunCommand(opts);
  const swept = sweepOrphans();
  recorder.record('harness', 'run.start', {
    runId,
    seed: opts.seed,
    target: opts.target.manifest.name,
    targetOptions: opts.target.options,
    runtime: opts.runtime,
    scenarios: opts.scenarios.map((s) => s.id),
    ...(opts.notApplicable?.length ? { notApplicable: opts.notApplicable.map((n) => ({ id: n.scenario.id, missing: n.missing })) } : {}),
    rerun,
    node: process.version,
    pid: process.pid,
  });
  if (swept.killed.length || swept.removedDirs.length) recorder.record('harness', 'sweep', swept);
  pointLatest(opts.reportsDir, runId);
  for (const r of opts.reporters)
    r.onRunStart?.({
      runId,
      runDir,
      seed: opts.seed,
      target: opts.target.manifest.name,
      targetOptions: opts.target.options,
      runtime: opts.runtime,
      scenarios: opts.scenarios,
    });

  const outcomes: ScenarioOutcome[] = [];
  let interrupted: string | undefined;
  for (const scenario of opts.scenarios) {
    if (opts.signal.aborted) break;
    for (const r of opts.reporters) r.onScenarioStart?.(scenario);
    const outcome = await runScenario({
      scenario,
      seed: opts.seed,
      target: opts.target,
      runDir,
      recorder,
      signal: opts.signal,
      startRuntime: (signal) =>
        (opts.runtime === 'containers' ? startContainersRuntime : startLocalRuntime)({ projectRoot: opts.projectRoot, runId, recorder, signal }),
      onPhase: (p) => {
        for (const r of opts.reporters) r.onPhase?.(scenario.id, p);
      },
    });
    outcomes.push(outcome);
    for (const r of opts.reporters) r.onScenarioEnd?.(outcome);
    if (outcome.interrupted) {
      interrupted = outcome.interrupted;
      break;
    }
  }

  if (!interrupted && opts.signal.aborted) {
    const reason: unknown = opts.signal.reason;
    interrupted = (reason as { signal?: string } | undefined)?.signal ?? 'abort';
  }
  const verdict = overallVerdict(outcomes.map((o) => o.verdict));
  const summary: RunSummary = {
    schemaVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    seed: opts.seed,
    runtime: opts.runtime,
    target: opts.target.manifest.name,
    targetOptions: opts.target.options,
    verdict,
    exitCode: 0,
    rerun,
    files: { history: 'history.jsonl', summary: 'summary.json', junit: 'junit.xml' },
    scenarios: outcomes.map(scenarioSummary),
  };
  if (interrupted) summary.interrupted = interrupted;
  if (opts.notApplicable?.length) {
    summary.notApplicable = opts.notApplicable.map((n) => ({ id: n.scenario.id, title: n.scenario.title, missing: n.missing }));
  }
  summary.exitCode = exitCodeFor(summary);
  recorder.record('harness', 'run.end', { verdict: summary.verdict, exitCode: summary.exitCode, ...(interrupted ? { interrupted } : {}) });
  unsubscribe();
  recorder.close();
  // Reports: summary.json + junit.xml, then report.html, report.md and reports/index.html.
  const fingerprint = targetFingerprint(opts.target.dir);
  if (fingerprint) summary.targetFingerprint = fingerprint;
  summary.source = 'run';
  const reports = writeReports(runDir, summary);
  for (const p of reports.problems) process.stderr.write(`[faultline] could not write a report: ${p}\n`);
  for (const r of opts.reporters) r.onRunEnd?.(summary, runDir);
  return { summary, runDir };
}
