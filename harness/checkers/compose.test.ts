import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { mergeValidity, runCheck } from './compose.ts';
import type { Checker } from './types.ts';

const ctx = { scenario: { id: 's' } as Scenario, capabilities: ['a'], options: {} };
const make = (check: Checker['check'], requires: string[] = []): Checker => ({ name: 'c', description: '', findings: [], requires, check });

describe('mergeValidity', () => {
  it('false beats unknown beats true; empty is unknown', () => {
    expect(mergeValidity([true, 'unknown', false])).toBe(false);
    expect(mergeValidity([true, 'unknown'])).toBe('unknown');
    expect(mergeValidity([true, true])).toBe(true);
    expect(mergeValidity([])).toBe('unknown');
  });
});

describe('runCheck', () => {
  it('turns an exception into unknown with the error', () => {
    const r = runCheck(
      make(() => {
        throw new Error('boom');
      }),
      [],
      ctx,
    );
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/boom/);
  });
  it('answers unknown when a required capability is missing, without running the check', () => {
    let ran = false;
    const r = runCheck(
      make(() => {
        ran = true;
        return { valid: true, violations: [], notes: [], stats: {} };
      }, ['b']),
      [],
      ctx,
    );
    expect(r.valid).toBe('unknown');
    expect(ran).toBe(false);
  });
  it('refuses an invalid verdict without evidence', () => {
    const r = runCheck(
      make(() => ({ valid: false, violations: [], notes: [], stats: {} })),
      [],
      ctx,
    );
    expect(r.valid).toBe('unknown');
  });
});
