import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registeredAlive } from './pid-registry.ts';

/** Every process the harness starts carries this variable; it is how orphans are recognised. */
export const HARNESS_PID_ENV = 'FAULTLINE_HARNESS_PID';
export const TEMP_PREFIX = 'faultline-';

/** True while a process with this pid exists (EPERM: it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function harnessPidOf(pid: string): number | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    const hit = env.find((kv) => kv.startsWith(`${HARNESS_PID_ENV}=`));
    return hit ? Number(hit.slice(HARNESS_PID_ENV.length + 1)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Cleans up after a harness that died without its teardown (SIGKILL, OOM, power cut): kills
 * processes whose owning harness is gone and removes its temp folders. Two ways to recognise
 * them, because either alone misses some: the FAULTLINE_HARNESS_PID variable in their environment
 * (children a bot spawned itself), and the run's pid registry (processes such as redis-server that
 * rewrite their environment for their process title). Processes of a harness that is still alive
 * (a concurrent run) are left alone.
 */
export function sweepOrphans(): { killed: number[]; removedDirs: string[] } {
  const killed: number[] = [];
  const removedDirs: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return { killed, removedDirs };
  }
  for (const pid of entries) {
    const owner = harnessPidOf(pid);
    if (owner === undefined || owner === process.pid || processAlive(owner)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed.push(Number(pid));
    } catch {
      // Gone already.
    }
  }
  for (const name of safeReaddir(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = Number(readOr(join(dir, 'harness.pid'), ''));
    if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || processAlive(owner)) continue;
    for (const pid of registeredAlive(dir)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Not a group leader any more: kill the process itself.
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
      killed.push(pid);
    }
    rmSync(dir, { recursive: true, force: true });
    removedDirs.push(dir);
  }
  return { killed, removedDirs };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}
