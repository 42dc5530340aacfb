import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PID_FILE = 'pids';

/** Start time of a process in clock ticks since boot (/proc/<pid>/stat field 22): with the pid, it names one process for ever. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: count fields after its closing parenthesis.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19];
  } catch {
    return undefined;
  }
}

/** Appends a started process to the run's pid registry, so a later sweep can find it even if it rewrote its environment. */
export function registerPid(tempDir: string, pid: number, name: string): void {
  appendFileSync(join(tempDir, PID_FILE), `${pid} ${processStartTicks(pid) ?? '?'} ${name}\n`);
}

/** Registered processes that are still the very processes that were registered (same pid and start time). */
export function registeredAlive(tempDir: string): number[] {
  let text = '';
  try {
    text = readFileSync(join(tempDir, PID_FILE), 'utf8');
  } catch {
    return [];
  }
  const alive: number[] = [];
  for (const line of text.split('\n')) {
    const [pidText, ticks] = line.split(' ');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0 || !ticks || ticks === '?') continue;
    if (processStartTicks(pid) === ticks) alive.push(pid);
  }
  return alive;
}
