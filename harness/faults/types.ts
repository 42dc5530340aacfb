import type { Recorder } from '../history/types.ts';
import type { Link, LinkName } from '../runtimes/types.ts';
import type { StartedVenue } from '../venue/types.ts';

/** The bot's wall clock as the clock shim presents it (libfaketime, per instance). */
export interface ClockControl {
  /** Current offset from real time, ms. */
  readonly offsetMs: number;
  /** Steps the instance's wall clock to real time + offsetMs; takes effect on its next clock read. */
  set(offsetMs: number): void;
}

/** A running target instance as faults may touch it. */
export interface TargetControl {
  readonly instance: string;
  readonly pid: number;
  readonly running: boolean;
  /** Signals the instance's whole process group. */
  signal(sig: NodeJS.Signals): void;
  /** Closes the harness's read end of its stdout/stderr pipe; throws when the runtime cannot (capability output-pipes). */
  closeOutput?(stream: 'stdout' | 'stderr'): void;
  /** Starts the instance again with the same environment and waits until it is ready. */
  restart(): Promise<void>;
  /** The instance's STATE_DIR. */
  readonly stateDir: string;
  /** The prefix of the clientOrderIds this instance sends (manifest orderIdPrefix with {instance} filled in), when the target declares one. */
  readonly orderIdPrefix?: string;
  /** Folder of the instance's captured output (stdout.log, stderr.log), when the runtime keeps one. */
  readonly logDir?: string;
}

/** What a fault may touch. Faults reach the world only through this, never through a runtime directly. */
export interface FaultContext {
  recorder: Recorder;
  signal: AbortSignal;
  /** The proxied link of an instance; throws if the scenario has no such link. */
  link(instance: string, name: LinkName): Link;
  venue: StartedVenue;
  /** The run's Redis, as the harness (not a bot) reaches it. */
  redisUrl: string;
  /** The run's PostgreSQL admin URL (direct, not through the db link); throws when the scenario runs none. */
  postgresUrl(): string;
  /** Clock shim of an instance; throws when the scenario did not start it under the shim. */
  clock(instance: string): ClockControl;
  target(instance: string): TargetControl;
  /** The folder the instances share (scenario coordination "folder"); throws when the scenario has none. */
  sharedDir(): string;
}

/**
 * What a fault cuts off from the bot while it is active, recorded in `fault.start` as `impairs`,
 * so checks judge effects (market data gone) rather than fault names.
 */
export type Channel = 'market-data' | 'user-data' | 'rest' | 'db';

export function linkChannel(link: LinkName): Channel {
  return link === 'market-ws' ? 'market-data' : link === 'user-ws' ? 'user-data' : link;
}

export interface FaultTarget {
  instance: string;
  link?: LinkName;
  /** The schedule id of this occurrence (f1, f2...), unique within the scenario. */
  occurrence: string;
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
export interface FaultKind<P extends object = { durationMs?: number }> {
  name: string;
  description: string;
  /** Links this kind can act on; empty when it does not act on a link. */
  links: readonly LinkName[];
  /** An instant fault (a kill, a key deleted) has no duration: its end is recorded right after it fires. */
  instant?: boolean;
  /** The instance must run under the clock shim (libfaketime) from its start. */
  needsClockShim?: boolean;
  /** The scenario must run PostgreSQL (and give every instance a db link). */
  needsPostgres?: boolean;
  /** Channels the bot loses while this fault is active (degradations such as latency are not losses). */
  impairs?(target: FaultTarget): Channel[];
  /** Validates and normalises raw params; throws ConfigError with what is wrong. */
  parse(raw: Record<string, unknown>): P;
  inject(ctx: FaultContext, target: FaultTarget, params: P): Promise<ActiveFault>;
}
