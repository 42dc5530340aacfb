import type { Scenario } from '../core/scenario.ts';
import type { HistoryEvent } from '../history/types.ts';
import type { ScenarioOutcome } from '../runner/scenario-run.ts';
import type { RunSummary } from './summary.ts';

export interface RunStartInfo {
  runId: string;
  runDir: string;
  seed: number;
  target: string;
  targetOptions: Record<string, string>;
  runtime: string;
  scenarios: readonly Scenario[];
}

/** Vitest-style reporter: every hook optional; one file per reporter. */
export interface Reporter {
  onRunStart?(info: RunStartInfo): void;
  onScenarioStart?(scenario: Scenario): void;
  onPhase?(scenarioId: string, phase: string): void;
  onEvent?(event: HistoryEvent): void;
  onScenarioEnd?(outcome: ScenarioOutcome): void;
  onRunEnd?(summary: RunSummary, runDir: string): void;
}
