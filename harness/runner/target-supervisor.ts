import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeFailure } from '../core/errors.ts';
import type { Recorder } from '../history/types.ts';
import type { StartedRuntime, TargetHandle } from '../runtimes/types.ts';
import type { TargetManifest } from '../targets/manifest.ts';

/** Probe lines are optional JSON objects on the bot's stdout: {"probe":"ready"}, {"probe":"order",...}. */
export function parseProbe(line: string): Record<string, unknown> | undefined {
  const s = line.trim();
  if (!s.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    if (typeof v === 'object' && v !== null && typeof (v as { probe?: unknown }).probe === 'string') {
      return v as Record<string, unknown>;
    }
  } catch {
    // Not a probe: ordinary output that happens to start with a brace.
  }
  return undefined;
}

export interface SupervisedTarget {
  handle: TargetHandle;
  /** Resolves when the ready probe is seen; rejects if the target exits first or times out. */
  ready: Promise<void>;
  logDir: string;
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n').trim();
  } catch {
    return '';
  }
}

/** Starts one target instance, records its probes into the history and tracks readiness. */
export async function superviseTarget(opts: {
  runtime: StartedRuntime;
  manifest: TargetManifest;
  dir: string;
  instance: string;
  env: Record<string, string>;
  logDir: string;
  /** Folders shared by every instance (TargetSpawn.sharedDirs). */
  sharedDirs?: string[];
  recorder: Recorder;
  signal: AbortSignal;
}): Promise<SupervisedTarget> {
  const { manifest, instance, recorder } = opts;
  let markReady: () => void = () => {};
  const readySeen = new Promise<void>((res) => {
    markReady = res;
  });
  const handle = await opts.runtime.startTarget({
    instance,
    cwd: opts.dir,
    command: manifest.start.command,
    env: opts.env,
    logDir: opts.logDir,
    ...(opts.sharedDirs ? { sharedDirs: opts.sharedDirs } : {}),
    onStdoutLine: (line) => {
      const probe = parseProbe(line);
      if (!probe) return;
      recorder.record('target', 'probe', probe, instance);
      if (probe.probe === manifest.ready.probe) markReady();
    },
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new RuntimeFailure(`target ${manifest.name} ${instance} not ready after ${manifest.ready.timeoutMs} ms (no "${manifest.ready.probe}" probe)`, {
          hint: `its stderr (${join(opts.logDir, 'stderr.log')}) ends with:\n${tail(join(opts.logDir, 'stderr.log'), 12)}`,
        }),
      );
    }, manifest.ready.timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(opts.signal.reason);
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    void readySeen.then(() => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      resolve();
    });
    void handle.exited.then((e) => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      reject(
        new RuntimeFailure(`target ${manifest.name} ${instance} exited before it was ready (code ${e.code}, signal ${e.signal})`, {
          hint: `its stderr ends with:\n${tail(join(opts.logDir, 'stderr.log'), 12)}`,
        }),
      );
    });
  });
  // A rejection nobody awaits yet must not crash the process; callers await `ready`.
  ready.catch(() => {});
  return { handle, ready, logDir: opts.logDir };
}
