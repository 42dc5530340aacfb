import { mergeValidity, runCheck, unknown } from '../checkers/compose.ts';
import { checker } from '../checkers/registry.ts';
import type { NamedCheckResult } from '../checkers/types.ts';
import { ConfigError } from '../core/errors.ts';
import type { Scenario } from '../core/scenario.ts';
import type { ScheduledFault } from '../core/schedule.ts';
import { scenarioEvents } from '../history/reader.ts';
import type { HistoryEvent } from '../history/types.ts';
import { exitCodeFor } from '../runner/run.ts';
import { verdictOf } from '../runner/scenario-run.ts';
import { overallVerdict, type RunSummary, type ScenarioSummary } from './summary.ts';

export interface RebuildContext {
  /** Scenario definitions by id (loadScenarios); the checks are re-run as they are defined now. */
  scenarios: ReadonlyMap<string, Scenario>;
  /** The target manifest's capabilities; undefined when the manifest cannot be loaded any more. */
  capabilities: readonly string[] | undefined;
  /** The summary.json already in the run folder, if any: what the history cannot tell (start time, code fingerprint). */
  previous?: RunSummary | undefined;
  /** The last history line was torn (writer killed mid-line). */
  truncated?: boolean;
}

interface RunStartData {
  runId: string;
  seed: number;
  target: string;
  targetOptions: Record<string, string>;
  runtime: string;
  scenarios: string[];
  rerun: string;
  pid?: number;
  notApplicable?: { id: string; missing: string[] }[];
}

export function runStartOf(events: readonly HistoryEvent[]): RunStartData {
  const e = events.find((x) => x.src === 'harness' && x.type === 'run.start');
  if (!e) throw new ConfigError('the history has no run.start event; it is not a Faultline run history (or it is empty)');
  return e.data as unknown as RunStartData;
}

/** Run ids start with their UTC start time (20261122-043711-…); used when no summary.json kept it. */
export function startedAtFromRunId(runId: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(runId);
  if (!m) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}

const PARTIAL_NOTE = 'the history ends inside this scenario (harness killed?): no violation in the recorded prefix, but the rest was never observed';

function checksFor(def: Scenario | undefined, events: HistoryEvent[], ctx: RebuildContext, partial: boolean): NamedCheckResult[] {
  if (!def) return [];
  return def.checks.map((c) => {
    let result: NamedCheckResult;
    try {
      const k = checker(c.name);
      result =
        ctx.capabilities === undefined
          ? { name: k.name, findings: k.findings, ...unknown('the target manifest could not be loaded, so its capabilities are unknown') }
          : runCheck(k, events, { scenario: def, capabilities: ctx.capabilities, options: c.options ?? {} });
    } catch (err) {
      result = { name: c.name, findings: [], ...unknown(`check could not be run: ${(err as Error).message}`) };
    }
    // A partial scenario can prove a violation, never a pass.
    if (partial && result.valid === true) result = { ...result, valid: 'unknown', notes: [...result.notes, PARTIAL_NOTE] };
    return result;
  });
}

/**
 * Rebuilds summary.json from the history alone, exactly as the run does at the end of each
 * scenario: the scenario's events through the registered checkers (runCheck). Works on the
 * prefix a killed run leaves: the summary is then `partial` and no verdict is a pass.
 */
export function summarizeHistory(events: readonly HistoryEvent[], ctx: RebuildContext): RunSummary {
  const start = runStartOf(events);
  const runEnd = events.find((e) => e.src === 'harness' && e.type === 'run.end');
  const partial = runEnd === undefined || ctx.truncated === true;
  const last = events.at(-1) as HistoryEvent;
  const scenarios: ScenarioSummary[] = [];
  for (const s of events.filter((e) => e.src === 'harness' && e.type === 'scenario.start')) {
    const id = String(s.data.id);
    const evs = scenarioEvents(events, id);
    const end = evs.find((e) => e.src === 'harness' && e.type === 'scenario.end');
    const def = ctx.scenarios.get(id);
    const scenarioPartial = end === undefined;
    const checks = checksFor(def, evs, ctx, scenarioPartial);
    let error = end?.data.error === undefined ? undefined : String(end.data.error);
    if (scenarioPartial)
      error = `the history ends inside this scenario, at #${last.seq} (t=${(last.t / 1000).toFixed(3)} s): the harness was killed before scenario.end`;
    if (!def) error = [error, `scenario ${id} is not defined in scenarios/ any more; its checks could not be re-run`].filter(Boolean).join('\n');
    let verdict = verdictOf(mergeValidity(checks.map((c) => c.valid)));
    if (error && verdict === 'pass') verdict = 'unknown';
    const summary: ScenarioSummary = {
      id,
      title: def?.title ?? id,
      findings: def?.findings ?? (s.data.findings as string[] | undefined) ?? [],
      verdict,
      durationMs: Math.round((end ?? evs.at(-1) ?? s).t - s.t),
      schedule: (s.data.schedule as ScheduledFault[] | undefined) ?? [],
      checks: checks.map((c) => ({ name: c.name, findings: c.findings, valid: c.valid, violations: c.violations, notes: c.notes, stats: c.stats })),
    };
    if (error) summary.error = error;
    if (end?.data.interrupted !== undefined) summary.interrupted = String(end.data.interrupted);
    if (scenarioPartial) summary.partial = true;
    scenarios.push(summary);
  }
  let verdict = overallVerdict(scenarios.map((s) => s.verdict));
  if (partial && verdict === 'pass') verdict = 'unknown';
  const startedAt = ctx.previous?.startedAt ?? startedAtFromRunId(start.runId) ?? new Date(0).toISOString();
  const durationMs = Math.round(last.t);
  const summary: RunSummary = {
    schemaVersion: 1,
    runId: start.runId,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    durationMs,
    seed: start.seed,
    runtime: start.runtime,
    target: start.target,
    targetOptions: start.targetOptions,
    verdict,
    exitCode: 0,
    rerun: start.rerun,
    files: { history: 'history.jsonl', summary: 'summary.json', junit: 'junit.xml' },
    scenarios,
    source: 'history',
  };
  const interrupted = runEnd?.data.interrupted;
  if (interrupted !== undefined) summary.interrupted = String(interrupted);
  if (partial) summary.partial = true;
  if (start.notApplicable?.length) {
    summary.notApplicable = start.notApplicable.map((n) => ({ id: n.id, title: ctx.scenarios.get(n.id)?.title ?? n.id, missing: n.missing }));
  }
  if (ctx.previous?.targetFingerprint) summary.targetFingerprint = ctx.previous.targetFingerprint;
  summary.exitCode = exitCodeFor(summary);
  return summary;
}
