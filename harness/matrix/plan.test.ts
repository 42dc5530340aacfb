import { describe, expect, it } from 'vitest';
import { defineScenario, type Scenario } from '../core/scenario.ts';
import type { FlawSet } from '../targets/manifest.ts';
import { planMatrix } from './plan.ts';

const scenario = (id: string, findings: string[], checks: string[], requires: string[] = []): Scenario =>
  defineScenario({
    id,
    title: id,
    description: id,
    findings,
    suites: ['nightly'],
    requires,
    instances: 1,
    market: { symbol: 'BTCUSDT', startPrice: 100, tickMs: 250, volPerTick: 0 },
    durationMs: 1000,
    faults: [],
    checks: checks.map((name) => ({ name })),
  });

const flaws: FlawSet = {
  option: 'flaws',
  none: 'none',
  list: {
    stale: { findings: ['a.txt#S-C2'], description: 'd' },
    retry: { findings: ['b.txt#R1'], description: 'd', with: ['stale'] },
    orphan: { findings: ['c.txt#X9'], description: 'd' },
    unchecked: { findings: ['d.txt#U1'], description: 'd' },
  },
};
const checks = [
  { name: 'stale-check', findings: ['a.txt#S-C2'] },
  { name: 'retry-check', findings: ['b.txt#R1', 'b.txt#R2'] },
  { name: 'egress', findings: ['e.txt#C1'] },
];
const scenarios = [
  scenario('s-stale', ['a.txt#S-C2'], ['stale-check', 'egress']),
  scenario('s-stale-2', ['a.txt#S-C2'], ['stale-check']),
  scenario('s-retry', ['b.txt#R1'], ['retry-check'], ['rest-orders']),
  scenario('s-unchecked', ['d.txt#U1'], ['egress']),
  scenario('s-untargetable', ['b.txt#R1'], ['retry-check'], ['control-api']),
];

describe('planMatrix', () => {
  const plan = planMatrix({ flaws, scenarios, checks, capabilities: ['rest-orders'] });
  const row = (f: string) => plan.flaws.find((p) => p.flaw === f);

  it('maps a flaw to every applicable scenario covering its findings and only the checks citing them', () => {
    expect(row('stale')?.expect).toEqual([
      { scenario: 's-stale', checks: ['stale-check'] },
      { scenario: 's-stale-2', checks: ['stale-check'] },
    ]);
    expect(row('retry')?.expect).toEqual([{ scenario: 's-retry', checks: ['retry-check'] }]);
  });

  it('carries the flaws a flaw runs with (none when it runs alone)', () => {
    expect(row('retry')?.with).toEqual(['stale']);
    expect(row('stale')?.with).toEqual([]);
  });

  it('says why a flaw cannot be tested instead of dropping it', () => {
    expect(row('orphan')?.problem).toMatch(/no scenario/);
    expect(row('unchecked')?.problem).toMatch(/no check citing/);
    expect(plan.flaws).toHaveLength(4);
  });

  it('runs hardened over every mapped scenario, in load order, and honours --flaws', () => {
    expect(plan.hardenedScenarios).toEqual(['s-stale', 's-stale-2', 's-retry']);
    const only = planMatrix({ flaws, scenarios, checks, capabilities: ['rest-orders'], only: ['retry'] });
    expect(only.flaws.map((f) => f.flaw)).toEqual(['retry']);
    expect(only.hardenedScenarios).toEqual(['s-retry']);
  });
});
