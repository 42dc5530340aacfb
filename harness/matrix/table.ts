import type { Cell, CellVerdict } from './verdict.ts';

/** One row of the matrix: a flaw (or `hardened`) and its verdict per repetition. */
export interface MatrixRow {
  flaw: string;
  /** Flaws run together with it (FlawInfo.with). */
  with?: string[];
  findings: string[];
  /** `scenario/check` pairs that must fail (empty for the hardened row). */
  expected: string[];
  cells: Cell[];
  problem?: string;
}

export interface MatrixTotals {
  flaws: number;
  detected: number;
  /** Hardened cells with a failing check, plus flaw cells where an unrelated check failed. */
  falseAlarms: number;
  /** Rows whose repetitions disagree. */
  flaky: number;
  /** Flaws with no scenario/check mapped, missed in some repetition, or errored. */
  undetected: string[];
  hardenedUnknown: number;
}

export interface MatrixResult {
  target: string;
  runtime: string;
  reps: number;
  baseSeed: number;
  startedAt: string;
  durationMs: number;
  interrupted?: string;
  rows: MatrixRow[];
  hardened: MatrixRow;
  totals: MatrixTotals;
}

const same = (cells: Cell[]) => cells.every((c) => c.verdict === cells[0]?.verdict);

export function rowResult(row: MatrixRow): CellVerdict | 'flaky' | 'untested' {
  if (row.problem) return 'untested';
  if (row.cells.length === 0) return 'untested';
  if (!same(row.cells)) return 'flaky';
  return row.cells[0]?.verdict ?? 'untested';
}

export function totalsOf(rows: MatrixRow[], hardened: MatrixRow): MatrixTotals {
  const results = rows.map((r) => [r, rowResult(r)] as const);
  return {
    flaws: rows.length,
    detected: results.filter(([, v]) => v === 'detected').length,
    falseAlarms:
      hardened.cells.filter((c) => c.verdict === 'false-alarm').length + rows.flatMap((r) => r.cells).filter((c) => c.verdict === 'false-alarm').length,
    flaky: [...rows, hardened].filter((r) => r.cells.length > 1 && !same(r.cells)).length,
    undetected: results.filter(([, v]) => v !== 'detected').map(([r]) => r.flaw),
    hardenedUnknown: hardened.cells.filter((c) => c.verdict === 'unknown').length,
  };
}

/** The matrix is green when every flaw is caught in every repetition and hardened passes every time. */
export function matrixOk(m: MatrixResult): boolean {
  const t = m.totals;
  return !m.interrupted && t.flaws > 0 && t.detected === t.flaws && t.falseAlarms === 0 && t.flaky === 0 && rowResult(m.hardened) === 'pass';
}

const pct = (a: number, b: number) => (b === 0 ? '-' : `${Math.round((a / b) * 1000) / 10}%`);

export function renderMarkdown(m: MatrixResult): string {
  const reps = Array.from({ length: m.reps }, (_, i) => `rep ${i + 1}`);
  const lines = [
    `# Mutation matrix: ${m.target}`,
    '',
    `${m.startedAt} · runtime ${m.runtime} · ${m.reps} repetition(s), seeds ${m.baseSeed}..${m.baseSeed + m.reps - 1} · ${(m.durationMs / 60_000).toFixed(1)} min${m.interrupted ? ` · INTERRUPTED (${m.interrupted})` : ''}`,
    '',
    `| flaw | findings | expected to fail | ${reps.join(' | ')} | result |`,
    `|---|---|---|${reps.map(() => '---|').join('')}---|`,
  ];
  for (const r of [...m.rows, m.hardened]) {
    const cells = reps.map((_, i) => r.cells[i]?.verdict ?? (r.problem ? '-' : 'not run'));
    const expected = r.problem ? `(${r.problem})` : r.expected.join('<br>') || 'every check valid';
    lines.push(
      `| ${r.flaw}${r.with ? ` (with ${r.with.join(', ')})` : ''} | ${r.findings.join('<br>')} | ${expected} | ${cells.join(' | ')} | **${rowResult(r)}** |`,
    );
  }
  const t = m.totals;
  lines.push(
    '',
    `**Detection:** ${t.detected}/${t.flaws} flaws caught by their mapped checks in every repetition (${pct(t.detected, t.flaws)}).  `,
    `**False alarms:** ${t.falseAlarms} (hardened runs with a failing check, plus flaw runs where an unrelated check failed).  `,
    `**Flaky verdicts:** ${t.flaky} row(s) whose repetitions disagree.  `,
    `**Hardened:** ${rowResult(m.hardened)}${t.hardenedUnknown ? ` (${t.hardenedUnknown} repetition(s) with an unknown check)` : ''}.`,
  );
  if (t.undetected.length) lines.push('', `Not detected: ${t.undetected.join(', ')}.`);
  const notes = [...m.rows, m.hardened].flatMap((r) =>
    r.cells.flatMap((c, i) =>
      c.verdict === 'detected' || c.verdict === 'pass'
        ? []
        : [`- ${r.flaw} rep ${i + 1} (seed ${c.seed}): ${c.details.join('; ')}${c.runDir ? ` — ${c.runDir}` : ''}`],
    ),
  );
  if (notes.length) lines.push('', '## Cells that are not green', '', ...notes);
  return `${lines.join('\n')}\n`;
}
