import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateJson } from './json-schema.ts';
import { startedAtFromRunId, summarizeHistory } from './rebuild.ts';
import { SCENARIO, syntheticRun } from './test-fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('./summary.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ctx = { scenarios: new Map([[SCENARIO.id, SCENARIO]]), capabilities: ['ws-market', 'rest-orders'] };

describe('summarizeHistory (faultline report)', () => {
  it('re-runs the checkers on a complete history and finds the violation with its evidence', () => {
    const { events, staleOrder } = syntheticRun();
    const s = summarizeHistory(events, ctx);
    expect(s.partial).toBeUndefined();
    expect(s.verdict).toBe('fail');
    expect(s.exitCode).toBe(1);
    expect(s.source).toBe('history');
    expect(s.startedAt).toBe('2026-11-22T04:30:00.000Z');
    const check = s.scenarios[0]?.checks[0];
    expect(check?.valid).toBe(false);
    expect(check?.violations[0]?.evidence[0]).toBe(staleOrder);
    expect(validateJson(s, schema)).toEqual([]);
  });

  it('a complete history without violations passes', () => {
    const s = summarizeHistory(syntheticRun({ staleTrade: false }).events, ctx);
    expect(s.verdict).toBe('pass');
    expect(s.exitCode).toBe(0);
  });

  it('a killed run (no scenario.end, no run.end) is partial and never a pass', () => {
    const { events, faultStart } = syntheticRun({ staleTrade: false });
    const s = summarizeHistory(
      events.filter((e) => e.seq <= faultStart + 3),
      ctx,
    );
    expect(s.partial).toBe(true);
    expect(s.scenarios[0]?.partial).toBe(true);
    expect(s.scenarios[0]?.verdict).toBe('unknown');
    expect(s.scenarios[0]?.checks[0]?.valid).toBe('unknown');
    expect(s.scenarios[0]?.error).toMatch(/history ends inside this scenario/);
    expect(s.verdict).toBe('unknown');
    expect(s.exitCode).toBe(3);
    expect(validateJson(s, schema)).toEqual([]);
  });

  it('a killed run can still show a violation recorded before the kill', () => {
    const { events, staleOrder } = syntheticRun();
    const s = summarizeHistory(
      events.filter((e) => e.seq <= staleOrder + 1),
      ctx,
    );
    expect(s.partial).toBe(true);
    expect(s.verdict).toBe('fail');
    expect(s.scenarios[0]?.checks[0]?.violations[0]?.evidence[0]).toBe(staleOrder);
  });

  it('keeps what only the earlier summary knew (start time, code fingerprint)', () => {
    const fp = { algorithm: 'sha256' as const, value: 'a'.repeat(64), files: 3, method: 'git-ls-files' as const };
    const previous = { ...summarizeHistory(syntheticRun().events, ctx), startedAt: '2026-01-01T00:00:00.000Z', targetFingerprint: fp };
    const s = summarizeHistory(syntheticRun().events, { ...ctx, previous });
    expect(s.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(s.targetFingerprint).toEqual(fp);
  });

  it('a scenario that no longer exists is unknown, not a crash', () => {
    const s = summarizeHistory(syntheticRun().events, { scenarios: new Map(), capabilities: [] });
    expect(s.scenarios[0]?.verdict).toBe('unknown');
    expect(s.scenarios[0]?.error).toMatch(/not defined/);
  });

  it('reads the start time from the run id', () => {
    expect(startedAtFromRunId('20261122-043711-20b5')).toBe('2026-11-22T04:37:11.000Z');
    expect(startedAtFromRunId('custom')).toBeUndefined();
  });
});
