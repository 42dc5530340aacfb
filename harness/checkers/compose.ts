import type { HistoryEvent } from '../history/types.ts';
import type { CheckContext, Checker, CheckResult, NamedCheckResult, Validity } from './types.ts';

/** false beats unknown beats true; no results at all is unknown (nothing was checked). */
export function mergeValidity(vs: readonly Validity[]): Validity {
  if (vs.length === 0) return 'unknown';
  if (vs.includes(false)) return false;
  if (vs.includes('unknown')) return 'unknown';
  return true;
}

export function unknown(note: string, stats: Record<string, number> = {}): CheckResult {
  return { valid: 'unknown', violations: [], notes: [note], stats };
}

/**
 * Runs one checker defensively: a missing capability or an exception inside the checker yields
 * `unknown` with the reason, never a harness crash and never a pass.
 */
export function runCheck(checker: Checker, history: readonly HistoryEvent[], ctx: CheckContext): NamedCheckResult {
  const base = { name: checker.name, findings: checker.findings };
  const missing = checker.requires.filter((c) => !ctx.capabilities.includes(c));
  if (missing.length > 0) {
    return { ...base, ...unknown(`target lacks capabilities this check needs: ${missing.join(', ')}`) };
  }
  try {
    const r = checker.check(history, ctx);
    if (r.valid === false && r.violations.length === 0) {
      return { ...base, ...r, valid: 'unknown', notes: [...r.notes, 'checker said invalid without evidence; treated as unknown'] };
    }
    return { ...base, ...r };
  } catch (err) {
    return { ...base, ...unknown(`checker threw: ${(err as Error).stack ?? String(err)}`) };
  }
}

/**
 * A numeric check option with its default. A value of the wrong type is an error (the check then
 * answers unknown, saying so), never a silent fallback to the default.
 */
export function booleanOption(options: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`check option ${name} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

export function numberOption(options: Record<string, unknown>, name: string, fallback: number): number {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`check option ${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Fault kinds that stop, kill or signal the process itself: while they act, a silent bot is expected. */
export const PROCESS_FAULTS: ReadonlySet<string> = new Set(['process-pause', 'process-kill', 'process-signal']);

/** A scenario time for messages: `t=12.34s`. */
export const secs = (t: number): string => `t=${(t / 1000).toFixed(2)}s`;
