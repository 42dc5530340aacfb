import type { Verdict } from '../runner/scenario-run.ts';
import { findingScorecard, worst } from './report-model.ts';
import type { RunSummary } from './summary.ts';

/** What the index needs of one run; built from summary.json (or a bare history for killed runs). */
export interface RunEntry {
  runId: string;
  startedAt: string;
  target: string;
  targetOptions: Record<string, string>;
  seed: number;
  verdict: Verdict;
  partial: boolean;
  counts: Record<Verdict, number>;
  /** Code fingerprint (sha256) when the run recorded one. */
  fingerprint?: string;
  /** Per audit finding and per fault family, the run's verdict. */
  findings: Record<string, Verdict>;
  families: Record<string, Verdict>;
  /** Relative link to the run's report.html (or summary.json when there is no HTML). */
  href: string;
}

/** Fault family: the kind's first dash-separated word (ws-disconnect -> ws, clock-skew -> clock, db-lock -> db). */
export function faultFamily(kind: string): string {
  return kind.split('-')[0] || kind;
}

/** The verdict each fault family got in a run: the worst verdict of the scenarios that injected it. */
export function familyVerdicts(summary: Pick<RunSummary, 'scenarios'>): Record<string, Verdict> {
  const by = new Map<string, Verdict[]>();
  for (const s of summary.scenarios) {
    for (const fam of new Set(s.schedule.map((f) => faultFamily(f.kind)))) by.set(fam, [...(by.get(fam) ?? []), s.verdict]);
  }
  return Object.fromEntries([...by].map(([k, vs]) => [k, worst(vs)]));
}

export function findingVerdicts(summary: Pick<RunSummary, 'scenarios'>): Record<string, Verdict> {
  return Object.fromEntries(findingScorecard(summary).map((f) => [f.finding, f.verdict]));
}

/** Runs compare only with runs of the same target and the same effective options. */
export function groupKey(e: Pick<RunEntry, 'target' | 'targetOptions'>): string {
  const opts = Object.keys(e.targetOptions)
    .sort()
    .map((k) => `${k}=${e.targetOptions[k]}`)
    .join(' ');
  return `${e.target} ${opts}`.trim();
}

export type Change = 'newly-failing' | 'newly-fixed' | 'still-failing' | 'still-passing' | 'first-run' | 'inconclusive';

export interface TrendRow {
  /** "finding" or "fault family". */
  dimension: 'finding' | 'family';
  key: string;
  /** Oldest first. */
  history: { runId: string; verdict: Verdict; fingerprint?: string }[];
  change: Change;
  /** The verdict went pass <-> fail between runs with the same code fingerprint. */
  flaky: boolean;
}

/**
 * Compares the latest conclusive verdict with the conclusive one before it (unknown runs say
 * nothing about the code, so they are skipped). Flaky: two runs with the same fingerprint got
 * pass and fail. Runs without a fingerprint never count as "same code".
 */
export function classify(history: TrendRow['history']): Pick<TrendRow, 'change' | 'flaky'> {
  const conclusive = history.filter((h) => h.verdict !== 'unknown');
  const last = conclusive.at(-1);
  const prev = conclusive.at(-2);
  let change: Change;
  if (!last) change = 'inconclusive';
  else if (!prev) change = last.verdict === 'fail' ? 'still-failing' : 'still-passing';
  else if (prev.verdict === 'pass' && last.verdict === 'fail') change = 'newly-failing';
  else if (prev.verdict === 'fail' && last.verdict === 'pass') change = 'newly-fixed';
  else change = last.verdict === 'fail' ? 'still-failing' : 'still-passing';
  if (history.length === 1 && last) change = 'first-run';
  const seen = new Map<string, Set<Verdict>>();
  for (const h of conclusive) {
    if (!h.fingerprint) continue;
    const set = seen.get(h.fingerprint) ?? new Set();
    set.add(h.verdict);
    seen.set(h.fingerprint, set);
  }
  const flaky = [...seen.values()].some((s) => s.has('pass') && s.has('fail'));
  return { change, flaky };
}

/** Trend rows for one group of runs (same target + options), any order in, oldest first out. */
export function trends(runs: readonly RunEntry[]): TrendRow[] {
  const sorted = [...runs].sort((a, b) => a.runId.localeCompare(b.runId));
  const rows: TrendRow[] = [];
  for (const dimension of ['finding', 'family'] as const) {
    const keys = new Set(sorted.flatMap((r) => Object.keys(dimension === 'finding' ? r.findings : r.families)));
    for (const key of [...keys].sort()) {
      const history = sorted.flatMap((r) => {
        const v = (dimension === 'finding' ? r.findings : r.families)[key];
        if (v === undefined) return [];
        return [{ runId: r.runId, verdict: v, ...(r.fingerprint ? { fingerprint: r.fingerprint } : {}) }];
      });
      rows.push({ dimension, key, history, ...classify(history) });
    }
  }
  return rows;
}
