import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnSpec {
  /** Human name for messages, e.g. "redis-server" or "refbot bot-1". */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Called with each stdout line (probes); when absent stdout goes to stdoutFile or is dropped. */
  onStdoutLine?: (line: string) => void;
  stdoutFile?: string;
  stderrFile?: string;
  /** Run as this user (the harness must be root), e.g. PostgreSQL, which refuses to run as root. */
  uid?: number;
  gid?: number;
}

/**
 * Every process group we started and have not yet seen exit. The 'exit' hook SIGKILLs whatever is
 * left, so a harness that crashes or exits early still leaves nothing running; a harness that is
 * SIGKILLed is covered by the orphan sweep (sweep.ts) on the next start.
 */
const live = new Map<number, string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllNow);
}

/** Synchronous last resort: SIGKILL every live process group. */
export function killAllNow(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export function liveProcessCount(): number {
  return live.size;
}

export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  #exit: ExitInfo | undefined;
  readonly #child: ChildProcess;
  readonly #closeOutput: (stream: 'stdout' | 'stderr') => void;

  private constructor(name: string, child: ChildProcess, exited: Promise<ExitInfo>, closeOutput: (stream: 'stdout' | 'stderr') => void) {
    this.name = name;
    this.#child = child;
    this.#closeOutput = closeOutput;
    this.pid = child.pid as number;
    this.exited = exited.then((e) => {
      this.#exit = e;
      return e;
    });
  }

  /** Starts the command in its own process group (so Ctrl-C on the terminal reaches only the harness). */
  static start(spec: SpawnSpec): Promise<ManagedProcess> {
    installExitHook();
    return new Promise((resolve, reject) => {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
        ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
      });
      let errFile: WriteStream | undefined;
      let outFile: WriteStream | undefined;
      child.once('error', (err) => {
        reject(new Error(`could not start ${spec.name} (${spec.command}): ${err.message}`));
      });
      child.once('spawn', () => {
        const pid = child.pid as number;
        live.set(pid, spec.name);
        if (spec.stderrFile) errFile = createWriteStream(spec.stderrFile, { flags: 'a' });
        if (spec.stdoutFile) outFile = createWriteStream(spec.stdoutFile, { flags: 'a' });
        // The log files end when their pipe does (pipe() ends them), never at 'exit': output still
        // in flight when the process exits would otherwise be written after end and crash the harness.
        const logs = [finished(child.stderr?.pipe(errFile ?? nullSink()))];
        if (spec.onStdoutLine) {
          const onLine = spec.onStdoutLine;
          const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
          lines.on('line', (l) => {
            outFile?.write(`${l}\n`);
            onLine(l);
          });
          lines.once('close', () => outFile?.end());
          logs.push(finished(outFile));
        } else {
          logs.push(finished(child.stdout?.pipe(outFile ?? nullSink())));
        }
        const exited = new Promise<ExitInfo>((res) => {
          child.once('exit', (code, signal) => {
            live.delete(pid);
            // Anything the process left in its group goes with it.
            try {
              process.kill(-pid, 'SIGKILL');
            } catch {
              // Group already empty.
            }
            // Resolve once the logs hold everything the process wrote, or after LOG_DRAIN_MS if a
            // descendant that left the group still holds a pipe open.
            const drained = setTimeout(() => res({ code, signal }), LOG_DRAIN_MS);
            void Promise.all(logs).then(() => {
              clearTimeout(drained);
              res({ code, signal });
            });
          });
        });
        // Closing our read end of a pipe makes the process's next write to it fail (EPIPE or
        // SIGPIPE), as when the terminal, journal or `| tee` it writes to goes away. Its log file
        // ends with a note saying so.
        const closeOutput = (stream: 'stdout' | 'stderr') => {
          const pipe = child[stream];
          if (!pipe || pipe.destroyed) return;
          pipe.unpipe();
          pipe.destroy();
          const file = stream === 'stderr' ? errFile : outFile;
          file?.end(`[faultline: ${stream} pipe closed by the harness at ${new Date().toISOString()}]\n`);
        };
        resolve(new ManagedProcess(spec.name, child, exited, closeOutput));
      });
    });
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Closes the harness's read end of the process's stdout or stderr pipe (idempotent). */
  closeOutput(stream: 'stdout' | 'stderr'): void {
    this.#closeOutput(stream);
  }

  get exitInfo(): ExitInfo | undefined {
    return this.#exit;
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(-this.pid, sig);
    } catch {
      // Exited between the check and the kill.
    }
  }

  /** Sends `sig` to the group, waits up to graceMs, then SIGKILLs. Idempotent; resolves on exit. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.signal(sig);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((res) => {
      timer = setTimeout(() => res('timeout'), graceMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') {
      this.signal('SIGKILL');
      return this.exited;
    }
    return first;
  }

  /** For tests of our own teardown. */
  get child(): ChildProcess {
    return this.#child;
  }
}

const LOG_DRAIN_MS = 2000;

/** Resolves when a log stream has finished writing (or failed, or there is none). */
function finished(stream: NodeJS.WritableStream | undefined): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((res) => {
    stream.once('finish', res);
    stream.once('error', () => res());
  });
}

function nullSink(): NodeJS.WritableStream {
  return createWriteStream('/dev/null');
}
