/**
 * Errors the user can act on carry a fixed prefix and say what failed and the likely cause;
 * `InternalError` marks our own bugs. The CLI maps them to exit codes (see EXIT).
 */

export const EXIT = {
  /** Every check valid. */
  ok: 0,
  /** At least one invariant violated. */
  violated: 1,
  /** Usage or configuration error (bad flag, unknown scenario or target, invalid manifest). */
  usage: 2,
  /** Inconclusive verdict (a check answered unknown) or a harness/runtime failure. */
  inconclusive: 3,
  /** Interrupted by SIGINT (128 + 2) / SIGTERM (128 + 15), after a full teardown. */
  sigint: 130,
  sigterm: 143,
} as const;

const PREFIX = '[faultline]';

export function formatMessage(message: string): string {
  return `${PREFIX} ${message}`;
}

/** The user's input is wrong: unknown scenario, bad --target-opt, invalid manifest. Exit 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** A dependency or the target could not be started or misbehaved (not a verdict). Exit 3. */
export class RuntimeFailure extends Error {
  override name = 'RuntimeFailure';
  readonly hint: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options?.hint;
  }
}

/** A wait was cut short because the run is being aborted (Ctrl-C, SIGTERM, fatal error). */
export class AbortedError extends Error {
  override name = 'AbortedError';
  readonly signal: string | undefined;
  constructor(signal?: string) {
    super(signal ? `run aborted by ${signal}` : 'run aborted');
    this.signal = signal;
  }
}

/** A bug in Faultline itself. Reported with its stack and a request to file an issue. */
export class InternalError extends Error {
  override name = 'InternalError';
}

export function describeError(err: unknown): string {
  if (err instanceof ConfigError || err instanceof RuntimeFailure) {
    const cause = err instanceof RuntimeFailure && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return formatMessage(`${err.message}${cause}${err.hint ? `\n  hint: ${err.hint}` : ''}`);
  }
  if (err instanceof Error) return formatMessage(`internal error: ${err.stack ?? err.message}`);
  return formatMessage(`internal error: ${String(err)}`);
}
