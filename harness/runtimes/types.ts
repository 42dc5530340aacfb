import type { ClockControl } from '../faults/types.ts';
import type { ExitInfo } from './local/process.ts';

export type { ExitInfo };

/** The bot's network links to the venue; each runs through its own Toxiproxy proxy. */
export type LinkName = 'rest' | 'market-ws' | 'user-ws' | 'db';
/** The venue links every instance gets; `db` exists only when the scenario runs PostgreSQL. */
export const LINK_NAMES: readonly LinkName[] = ['rest', 'market-ws', 'user-ws'];

/** A proxied link between one target instance and the venue. Faults act on it; they never see Toxiproxy directly. */
export interface Link {
  readonly instance: string;
  readonly name: LinkName;
  /** host:port the target connects to. */
  readonly listen: string;
  readonly upstream: string;
  /** Cut the link: open connections are closed, new ones refused, until enable(). */
  disable(): Promise<void>;
  enable(): Promise<void>;
  /** Adds a Toxiproxy toxic to the link (names must be unique on the link). */
  addToxic(toxic: ToxicSpec): Promise<void>;
  /** Removes a toxic by name; removing one that is gone is not an error (heal is idempotent). */
  removeToxic(name: string): Promise<void>;
}

/** A Toxiproxy toxic: `type` is Toxiproxy's (latency, timeout, reset_peer, slicer, bandwidth, ...). */
export interface ToxicSpec {
  name: string;
  type: string;
  /** downstream = venue -> bot, upstream = bot -> venue. */
  stream: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number>;
}

export interface TargetSpawn {
  instance: string;
  cwd: string;
  command: string[];
  env: Record<string, string>;
  /** Folder for this instance's stdout/stderr logs. */
  logDir: string;
  /** Folders every instance of the scenario shares, at the same path (bind-mounted by container runtimes). */
  sharedDirs?: string[];
  onStdoutLine: (line: string) => void;
}

export interface TargetHandle {
  readonly instance: string;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  readonly running: boolean;
  /** Signals the whole process group (SIGSTOP/SIGCONT for pauses, SIGKILL/SIGTERM for kills). */
  signal(sig: NodeJS.Signals): void;
  /**
   * Closes the harness's read end of the target's stdout or stderr pipe, so its next write there
   * fails (EPIPE, or SIGPIPE unless ignored). Only runtimes with capability `output-pipes` (local)
   * have it; in a container the output goes to the engine, not to a pipe the harness holds.
   */
  closeOutput?(stream: 'stdout' | 'stderr'): void;
  stop(signal: NodeJS.Signals, graceMs: number): Promise<ExitInfo>;
}

/** A started runtime: dependencies are up; links and targets are created on it. */
export interface StartedRuntime {
  readonly name: string;
  readonly redisUrl: string;
  /** Host the targets use to reach links (loopback for local). */
  readonly linkHost: string;
  createLink(instance: string, name: LinkName, upstreamPort: number): Promise<Link>;
  buildTarget(dir: string, command: string[], timeoutMs: number, signal: AbortSignal): Promise<void>;
  startTarget(spec: TargetSpawn): Promise<TargetHandle>;
  /** Starts the run's PostgreSQL (once; later calls return the same) and gives its admin URL and port. */
  startPostgres(): Promise<{ adminUrl: string; port: number }>;
  /** Resource usage of a target process (RSS kB, open fds, threads), or undefined when gone. */
  sampleResources(pid: number): Record<string, number> | undefined;
  /**
   * A wall-clock shim for one instance: libfaketime where the target runs (the host for local, the
   * target image for containers) reading its offset from `file`, which the control rewrites. The
   * env goes into the instance's environment; `file` must be in the instance's folder.
   */
  clockShim(instance: string, file: string): { env: Record<string, string>; control: ClockControl };
  /** Stops targets, removes links, stops dependencies, deletes temp files. Idempotent; never throws. */
  stop(): Promise<void>;
}
