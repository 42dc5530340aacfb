import type { Scenario } from '../core/scenario.ts';
import type { HistoryEvent } from '../history/types.ts';

/** Jepsen-style validity: false beats unknown beats true when results are composed. */
export type Validity = true | false | 'unknown';

export interface Violation {
  /** Scenario time (ms since run start) of the offending event. */
  t: number;
  instance?: string;
  message: string;
  /** History seqs that prove the violation; the offending event first. */
  evidence: number[];
}

export interface CheckResult {
  valid: Validity;
  violations: Violation[];
  /** Why the verdict is unknown, and what was examined (kept short; shown in reports). */
  notes: string[];
  stats: Record<string, number>;
}

export interface CheckContext {
  scenario: Scenario;
  /** Capabilities the target's manifest declares. */
  capabilities: readonly string[];
  options: Record<string, unknown>;
}

/**
 * An invariant: a pure function of the history. It must answer `unknown` (never `true`) when the
 * history cannot show the property either way: the target lacks a capability, nothing relevant
 * happened, or the fault never took effect.
 */
export interface Checker {
  name: string;
  description: string;
  /** Audit findings this check encodes (`<audit file>#<id>`). */
  findings: readonly string[];
  /** Capabilities without which the answer is `unknown`. */
  requires: readonly string[];
  check(history: readonly HistoryEvent[], ctx: CheckContext): CheckResult;
}

export interface NamedCheckResult extends CheckResult {
  name: string;
  findings: readonly string[];
}
