import type { Recorder } from '../history/types.ts';
import type { Link, LinkName } from '../runtimes/types.ts';

/** What a fault may touch. Faults reach the world only through this, never through a runtime directly. */
export interface FaultContext {
  recorder: Recorder;
  signal: AbortSignal;
  /** The proxied link of an instance; throws if the scenario has no such link. */
  link(instance: string, name: LinkName): Link;
}

export interface FaultTarget {
  instance: string;
  link?: LinkName;
}

/** A fault that is in effect; heal() undoes it and is idempotent. */
export interface ActiveFault {
  heal(): Promise<void>;
}

/**
 * One kind of fault (Toxiproxy-toxic style: one file each, self-describing, registered by name).
 * Params are plain data with units in their names; `durationMs`, when present, is how long the
 * fault stays in effect before the scheduler heals it.
 */
export interface FaultKind<P extends { durationMs?: number } = { durationMs?: number }> {
  name: string;
  description: string;
  /** Links this kind can act on; empty when it does not act on a link. */
  links: readonly LinkName[];
  /** Validates and normalises raw params; throws ConfigError with what is wrong. */
  parse(raw: Record<string, unknown>): P;
  inject(ctx: FaultContext, target: FaultTarget, params: P): Promise<ActiveFault>;
}
