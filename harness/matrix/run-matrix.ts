import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../core/scenario.ts';
import type { Reporter } from '../report/types.ts';
import { run } from '../runner/run.ts';
import type { ResolvedTarget } from '../targets/manifest.ts';
import type { MatrixPlan } from './plan.ts';
import { type MatrixResult, type MatrixRow, renderMarkdown, totalsOf } from './table.ts';
import { type Cell, judgeFlaw, judgeHardened } from './verdict.ts';

export interface MatrixOptions {
  projectRoot: string;
  /** Folder for this matrix: runs/ holds every run folder, matrix.json and matrix.md the result. */
  outDir: string;
  plan: MatrixPlan;
  scenarios: Map<string, Scenario>;
  /** The target with the user's options; the flaw option is overridden per row. */
  target: ResolvedTarget;
  givenTargetOptions: Record<string, string>;
  reps: number;
  /** Cells run at once (default 1). Each cell is a full run with its own dependencies. */
  jobs?: number;
  baseSeed: number;
  runtime: 'local' | 'containers';
  signal: AbortSignal;
  /** Called after each cell with a one-line progress message. */
  progress: (line: string) => void;
  reporters?: Reporter[];
}

/**
 * Runs the mutation matrix: each flaw alone (repetition i uses seed baseSeed + i) over its mapped
 * scenarios, then the flaw-free target over every mapped scenario, and writes matrix.json and
 * matrix.md into outDir. Stops early (keeping what it has) when the signal aborts.
 */
export async function runMatrix(o: MatrixOptions): Promise<MatrixResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const flaws = o.target.manifest.flaws;
  if (!flaws) throw new Error(`target ${o.target.manifest.name} declares no flaws`);
  const runsDir = join(o.outDir, 'runs');
  mkdirSync(runsDir, { recursive: true });

  const cell = async (
    label: string,
    flawValue: string,
    ids: string[],
    rep: number,
  ): Promise<{ cell: Omit<Cell, 'verdict' | 'details'>; scenarios: import('../report/summary.ts').ScenarioSummary[] }> => {
    const seed = o.baseSeed + rep;
    const given = { ...o.givenTargetOptions, [flaws.option]: flawValue };
    const options = { ...o.target.options, [flaws.option]: flawValue };
    const env = { ...o.target.env, [o.target.manifest.options[flaws.option]?.env ?? '']: flawValue };
    delete env[''];
    const { summary, runDir } = await run({
      projectRoot: o.projectRoot,
      reportsDir: runsDir,
      scenarios: ids.map((id) => o.scenarios.get(id) as Scenario),
      target: { ...o.target, options, env },
      givenTargetOptions: given,
      seed,
      runtime: o.runtime,
      signal: o.signal,
      reporters: o.reporters ?? [],
    });
    o.progress(`${label} rep ${rep + 1}/${o.reps} (seed ${seed}): ${summary.verdict} in ${(summary.durationMs / 1000).toFixed(1)}s`);
    return { cell: { seed, runDir }, scenarios: summary.scenarios };
  };

  // Every cell is an independent run; up to `jobs` run at once (each has its own dependencies).
  const rows: MatrixRow[] = [];
  const hardened: MatrixRow = { flaw: `(${flaws.option}=${flaws.none})`, findings: [], expected: [], cells: [] };
  const tasks: { row: MatrixRow; rep: number; run: () => Promise<Cell> }[] = [];
  for (const p of o.plan.flaws) {
    const row: MatrixRow = {
      flaw: p.flaw,
      ...(p.with.length > 0 ? { with: p.with } : {}),
      findings: p.findings,
      expected: p.expect.flatMap((e) => e.checks.map((c) => `${e.scenario}/${c}`)),
      cells: [],
    };
    if (p.problem) row.problem = p.problem;
    rows.push(row);
    if (p.problem) continue;
    for (let rep = 0; rep < o.reps; rep++) {
      tasks.push({
        row,
        rep,
        run: async () => {
          const r = await cell(
            p.flaw,
            [p.flaw, ...p.with].join(','),
            p.expect.map((e) => e.scenario),
            rep,
          );
          return { ...r.cell, ...judgeFlaw(p, r.scenarios) };
        },
      });
    }
  }
  for (let rep = 0; rep < o.reps && o.plan.hardenedScenarios.length > 0; rep++) {
    tasks.push({
      row: hardened,
      rep,
      run: async () => {
        const r = await cell('hardened', flaws.none, o.plan.hardenedScenarios, rep);
        return { ...r.cell, ...judgeHardened(o.plan.hardenedScenarios, r.scenarios) };
      },
    });
  }
  const done = new Map<(typeof tasks)[number], Cell>();
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !o.signal.aborted) {
      const t = tasks[next++] as (typeof tasks)[number];
      const c = await t.run();
      if (!o.signal.aborted) done.set(t, c);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs ?? 1) }, worker));
  // Cells in repetition order, whatever order they finished in.
  for (const t of tasks) {
    const c = done.get(t);
    if (c) t.row.cells.push(c);
  }

  const result: MatrixResult = {
    target: o.target.manifest.name,
    runtime: o.runtime,
    reps: o.reps,
    baseSeed: o.baseSeed,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    rows,
    hardened,
    totals: totalsOf(rows, hardened),
  };
  if (o.signal.aborted) result.interrupted = String((o.signal.reason as { signal?: string } | undefined)?.signal ?? 'abort');
  writeFileSync(join(o.outDir, 'matrix.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(o.outDir, 'matrix.md'), renderMarkdown(result));
  return result;
}
