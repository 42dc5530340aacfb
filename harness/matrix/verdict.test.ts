import { describe, expect, it } from 'vitest';
import type { ScenarioSummary } from '../report/summary.ts';
import type { FlawPlan } from './plan.ts';
import { type MatrixResult, matrixOk, renderMarkdown, rowResult, totalsOf } from './table.ts';
import { type Cell, judgeFlaw, judgeHardened } from './verdict.ts';

type V = true | false | 'unknown';
const summary = (id: string, checks: Record<string, V>, error?: string): ScenarioSummary => ({
  id,
  title: id,
  findings: [],
  verdict: 'pass',
  durationMs: 1,
  schedule: [] as unknown as ScenarioSummary['schedule'],
  checks: Object.entries(checks).map(([name, valid]) => ({ name, findings: [], valid, violations: [], notes: [], stats: {} })),
  ...(error ? { error } : {}),
});
const plan: FlawPlan = { flaw: 'stale', with: [], findings: ['a.txt#1'], expect: [{ scenario: 's1', checks: ['stale-check'] }] };

describe('judgeFlaw', () => {
  it('detects when every expected check fails and nothing else does', () => {
    expect(judgeFlaw(plan, [summary('s1', { 'stale-check': false, egress: true })]).verdict).toBe('detected');
  });
  it('detects when one of the flaw’s scenarios catches it, even if another does not exercise it', () => {
    const two: FlawPlan = { ...plan, expect: [...plan.expect, { scenario: 's2', checks: ['stale-check'] }] };
    const r = judgeFlaw(two, [summary('s1', { 'stale-check': true }), summary('s2', { 'stale-check': false })]);
    expect(r).toEqual({ verdict: 'detected', details: ['s1/stale-check=true', 's2/stale-check=false'] });
    expect(judgeFlaw(two, [summary('s1', { 'stale-check': true }), summary('s2', { 'stale-check': 'unknown' })]).verdict).toBe('missed');
  });

  it('misses when the expected check passes or is unknown', () => {
    expect(judgeFlaw(plan, [summary('s1', { 'stale-check': true })]).verdict).toBe('missed');
    expect(judgeFlaw(plan, [summary('s1', { 'stale-check': 'unknown' })]).verdict).toBe('missed');
    expect(judgeFlaw(plan, [summary('s1', {})]).details).toContain('s1/stale-check: no result');
  });
  it('calls an unrelated failing check a false alarm, and a harness error an error', () => {
    const r = judgeFlaw(plan, [summary('s1', { 'stale-check': false, egress: false })]);
    expect(r).toEqual({ verdict: 'false-alarm', details: ['s1/stale-check=false', 's1/egress=false (unrelated)'] });
    expect(judgeFlaw(plan, [summary('s1', { 'stale-check': false }, 'target not ready')]).verdict).toBe('error');
    expect(judgeFlaw(plan, []).verdict).toBe('error');
  });
});

describe('judgeHardened', () => {
  it('passes only when every check is valid; unknown is not a pass', () => {
    expect(judgeHardened(['s1'], [summary('s1', { a: true, b: true })]).verdict).toBe('pass');
    expect(judgeHardened(['s1'], [summary('s1', { a: true, b: 'unknown' })]).verdict).toBe('unknown');
    expect(judgeHardened(['s1'], [summary('s1', { a: false, b: 'unknown' })]).verdict).toBe('false-alarm');
    expect(judgeHardened(['s1', 's2'], [summary('s1', { a: true })]).verdict).toBe('error');
  });
});

describe('matrix totals and table', () => {
  const c = (verdict: Cell['verdict']): Cell => ({ verdict, details: [verdict], seed: 1 });
  const rows = [
    { flaw: 'stale', findings: ['a.txt#1'], expected: ['s1/stale-check'], cells: [c('detected'), c('detected')] },
    { flaw: 'retry', findings: ['b.txt#1'], expected: ['s2/retry-check'], cells: [c('detected'), c('missed')] },
    { flaw: 'orphan', findings: ['c.txt#1'], expected: [], cells: [], problem: 'no scenario covers it' },
  ];
  const hardened = { flaw: '(flaws=none)', findings: [], expected: [], cells: [c('pass'), c('false-alarm')] };

  it('counts detection, false alarms and flaky rows', () => {
    expect(rows.map(rowResult)).toEqual(['detected', 'flaky', 'untested']);
    expect(totalsOf(rows, hardened)).toEqual({ flaws: 3, detected: 1, falseAlarms: 1, flaky: 2, undetected: ['retry', 'orphan'], hardenedUnknown: 0 });
  });

  it('is green only with full detection, no false alarm, no flakiness', () => {
    const m = (r: typeof rows, h: typeof hardened): MatrixResult => ({
      target: 't',
      runtime: 'local',
      reps: 2,
      baseSeed: 1,
      startedAt: 'now',
      durationMs: 1,
      rows: r,
      hardened: h,
      totals: totalsOf(r, h),
    });
    const green = m([rows[0] as (typeof rows)[0]], { ...hardened, cells: [c('pass'), c('pass')] });
    expect(matrixOk(green)).toBe(true);
    expect(matrixOk(m(rows, hardened))).toBe(false);
    expect(matrixOk({ ...green, interrupted: 'SIGINT' })).toBe(false);
    const md = renderMarkdown(m(rows, hardened));
    expect(md).toContain('| retry | b.txt#1 | s2/retry-check | detected | missed | **flaky** |');
    expect(md).toContain('**Detection:** 1/3');
    expect(md).toContain('(no scenario covers it)');
  });
});
