import { describe, expect, it } from 'vitest';
import type { Verdict } from '../runner/scenario-run.ts';
import { classify, faultFamily, groupKey, type RunEntry, trends } from './trend.ts';

const h = (...vs: [Verdict, string?][]) => vs.map(([verdict, fingerprint], i) => ({ runId: `r${i}`, verdict, ...(fingerprint ? { fingerprint } : {}) }));

function entry(runId: string, verdict: Verdict, fingerprint: string | undefined, opts = { profile: 'naive' }): RunEntry {
  return {
    runId,
    startedAt: '',
    target: 'refbot',
    targetOptions: opts,
    seed: 1,
    verdict,
    partial: false,
    counts: { pass: 0, fail: 0, unknown: 0, [verdict]: 1 },
    findings: { 'a.txt#S-C2': verdict },
    families: { ws: verdict },
    href: `${runId}/report.html`,
    ...(fingerprint ? { fingerprint } : {}),
  };
}

describe('trend classification', () => {
  it('newly failing / newly fixed compare the last two conclusive verdicts', () => {
    expect(classify(h(['pass', 'a'], ['fail', 'b']))).toEqual({ change: 'newly-failing', flaky: false });
    expect(classify(h(['fail', 'a'], ['unknown', 'b'], ['pass', 'b']))).toEqual({ change: 'newly-fixed', flaky: false });
    expect(classify(h(['fail'], ['fail']))).toEqual({ change: 'still-failing', flaky: false });
    expect(classify(h(['pass']))).toEqual({ change: 'first-run', flaky: false });
    expect(classify(h(['unknown'], ['unknown']))).toEqual({ change: 'inconclusive', flaky: false });
  });

  it('flaky = pass and fail with the same code fingerprint; no fingerprint never counts', () => {
    expect(classify(h(['pass', 'a'], ['fail', 'a'])).flaky).toBe(true);
    expect(classify(h(['pass', 'a'], ['fail', 'b'], ['pass', 'b'])).flaky).toBe(true);
    expect(classify(h(['pass'], ['fail'])).flaky).toBe(false);
    expect(classify(h(['pass', 'a'], ['unknown', 'a'])).flaky).toBe(false);
  });

  it('trend rows per finding and per fault family, oldest first', () => {
    const rows = trends([entry('20260102', 'fail', 'x'), entry('20260101', 'pass', 'x')]);
    expect(rows.map((r) => [r.dimension, r.key, r.change, r.flaky])).toEqual([
      ['finding', 'a.txt#S-C2', 'newly-failing', true],
      ['family', 'ws', 'newly-failing', true],
    ]);
    expect(rows[0]?.history.map((x) => x.runId)).toEqual(['20260101', '20260102']);
  });

  it('groups by target and every option; fault families are the kind prefix', () => {
    expect(groupKey(entry('r', 'pass', undefined, { profile: 'naive' }))).not.toBe(groupKey(entry('r', 'pass', undefined, { profile: 'hardened' })));
    expect(groupKey({ target: 't', targetOptions: { b: '2', a: '1' } })).toBe(groupKey({ target: 't', targetOptions: { a: '1', b: '2' } }));
    expect(['ws-disconnect', 'clock-skew', 'db-lock', 'lock-steal'].map(faultFamily)).toEqual(['ws', 'clock', 'db', 'lock']);
  });
});
