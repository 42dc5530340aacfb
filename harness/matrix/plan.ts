import type { Scenario } from '../core/scenario.ts';
import type { FlawSet } from '../targets/manifest.ts';

/**
 * The mutation matrix's plan: for each flaw of a target, the scenarios that cover its findings and,
 * in each, the checks that cite them (the checks that must catch the flaw). Pure: the matrix
 * runner and its tests share it.
 */
export interface FlawPlan {
  flaw: string;
  /** Flaws turned on with it (FlawInfo.with): the condition under which it shows. */
  with: string[];
  findings: string[];
  /** Scenario id -> names of that scenario's checks citing one of the flaw's findings. */
  expect: { scenario: string; checks: string[] }[];
  /** Why the flaw cannot be tested (no scenario covers it, or its scenarios have no such check). */
  problem?: string;
}

export interface MatrixPlan {
  flaws: FlawPlan[];
  /** Every scenario the target can take part in that covers at least one flaw (the hardened runs). */
  hardenedScenarios: string[];
}

export interface CheckInfo {
  name: string;
  findings: readonly string[];
}

export function planMatrix(opts: {
  flaws: FlawSet;
  scenarios: readonly Scenario[];
  checks: readonly CheckInfo[];
  capabilities: readonly string[];
  /** Only these flaws (all when absent); unknown names are the caller's error to report. */
  only?: readonly string[];
}): MatrixPlan {
  const findingsOf = new Map(opts.checks.map((c) => [c.name, new Set(c.findings)]));
  const applicable = opts.scenarios.filter((s) => s.requires.every((c) => opts.capabilities.includes(c)));
  const flaws: FlawPlan[] = [];
  const hardened = new Set<string>();
  for (const [flaw, info] of Object.entries(opts.flaws.list)) {
    if (opts.only && !opts.only.includes(flaw)) continue;
    const expect: FlawPlan['expect'] = [];
    for (const s of applicable) {
      if (!s.findings.some((f) => info.findings.includes(f))) continue;
      const checks = s.checks.map((c) => c.name).filter((name) => info.findings.some((f) => findingsOf.get(name)?.has(f)));
      expect.push({ scenario: s.id, checks: [...new Set(checks)] });
    }
    const plan: FlawPlan = { flaw, with: info.with ?? [], findings: info.findings, expect: expect.filter((e) => e.checks.length > 0) };
    if (expect.length === 0) plan.problem = 'no scenario the target can take part in covers its findings';
    else if (plan.expect.length === 0) plan.problem = `its scenarios (${expect.map((e) => e.scenario).join(', ')}) have no check citing its findings`;
    for (const e of plan.expect) hardened.add(e.scenario);
    flaws.push(plan);
  }
  // Scenario order as loaded (ids sorted), so runs are reproducible.
  return { flaws, hardenedScenarios: applicable.map((s) => s.id).filter((id) => hardened.has(id)) };
}
