import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../core/abort.ts';
import { RuntimeFailure } from '../core/errors.ts';
import type { Recorder } from '../history/types.ts';

/** What a bad-input startup came to, per instance (the `harness startup.outcome` event). */
export type StartupOutcome = 'ready' | 'exited' | 'running';

const TAIL_CHARS = 2000;
const FLUSH_WAIT_MS = 1000;

/**
 * The last TAIL_CHARS of the instance's stderr.log. The process has exited but its pipe may still
 * be draining into the file, so this waits (at most FLUSH_WAIT_MS) until the size stops changing.
 */
export async function stderrTail(logDir: string, signal: AbortSignal): Promise<string> {
  const file = join(logDir, 'stderr.log');
  let size = -1;
  for (let waited = 0; waited < FLUSH_WAIT_MS; waited += 100) {
    const now = existsSync(file) ? statSync(file).size : 0;
    if (now > 0 && now === size) break;
    size = now;
    await sleep(100, signal);
  }
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.slice(-TAIL_CHARS).trim();
}

/**
 * Starts one instance of a bad-input scenario and records how it ended up. `start` resolves when
 * the instance is ready and rejects with a RuntimeFailure when it exited first or was not ready
 * within the (shortened) ready timeout; `running` tells the two apart. Anything else (an abort, a
 * runtime that could not spawn the process) is rethrown: that is a harness failure, not an outcome.
 * Returns true when the instance became ready.
 */
export async function judgeStartup(opts: {
  instance: string;
  start: () => Promise<void>;
  running: () => boolean;
  logDir: string;
  decideMs: number;
  recorder: Recorder;
  signal: AbortSignal;
}): Promise<boolean> {
  const { instance, recorder, signal } = opts;
  const t0 = recorder.now();
  try {
    await opts.start();
  } catch (err) {
    if (signal.aborted || !(err instanceof RuntimeFailure)) throw err;
    let running: boolean;
    try {
      running = opts.running();
    } catch {
      throw err; // never launched: the runtime failed, not the target
    }
    const afterMs = Math.round(recorder.now() - t0);
    const outcome: StartupOutcome = running ? 'running' : 'exited';
    const tail = running ? '' : await stderrTail(opts.logDir, signal);
    recorder.record('harness', 'startup.outcome', { outcome, afterMs, decideMs: opts.decideMs, stderrTail: tail }, instance);
    return false;
  }
  recorder.record('harness', 'startup.outcome', { outcome: 'ready', afterMs: Math.round(recorder.now() - t0), decideMs: opts.decideMs }, instance);
  return true;
}
