import { isAbsolute, normalize } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** Reads a required non-negative millisecond parameter. */
export function msParam(kind: string, raw: Record<string, unknown>, key: string, opts: { min?: number; max?: number } = {}): number {
  const v = raw[key];
  const min = opts.min ?? 0;
  const max = opts.max ?? 24 * 3600_000;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(`fault ${kind}: ${key} must be a number of milliseconds in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Rejects keys the kind does not know, so a typo (durationMS) is an error, not a silent default. */
export function onlyKeys(kind: string, raw: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(raw)) {
    if (!allowed.includes(k)) throw new ConfigError(`fault ${kind}: unknown parameter "${k}" (known: ${allowed.join(', ')})`);
  }
}

/** A file inside the instance's STATE_DIR: relative, and never climbing out of it. */
export function stateFileParam(kind: string, raw: Record<string, unknown>, key: string): string {
  const file = raw[key];
  if (typeof file !== 'string' || file === '' || isAbsolute(file) || normalize(file).startsWith('..')) {
    throw new ConfigError(`fault ${kind}: ${key} must be a path inside the instance’s STATE_DIR`);
  }
  return file;
}
