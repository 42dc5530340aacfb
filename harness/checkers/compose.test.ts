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

describe('numberOption', () => {
  it('returns the value or the default, and refuses a wrong type instead of falling back', async () => {
    const { numberOption } = await import('./compose.ts');
    expect(numberOption({ graceMs: 500 }, 'graceMs', 2000)).toBe(500);
    expect(numberOption({}, 'graceMs', 2000)).toBe(2000);
    expect(() => numberOption({ graceMs: '500' }, 'graceMs', 2000)).toThrow(/graceMs must be a number/);
  });
});

describe('booleanOption', () => {
  it('reads a boolean option with its default and refuses another type', async () => {
    const { booleanOption } = await import('./compose.ts');
    expect(booleanOption({ openOrders: false }, 'openOrders', true)).toBe(false);
    expect(booleanOption({}, 'openOrders', true)).toBe(true);
    expect(() => booleanOption({ openOrders: 'no' }, 'openOrders', true)).toThrow(/openOrders must be a boolean/);
  });
});
