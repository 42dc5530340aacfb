import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '../history/types.ts';

/**
 * sweepOrphans() recognises orphans by FAULTLINE_HARNESS_PID in /proc/<pid>/environ, but
 * redis-server rewrites its environ block for its process title, so an orphaned redis-server is
 * invisible to it. This is the fallback for a run whose harness is dead: kill the processes its
 * own history recorded (dep.start / target.start pids) that are still running, but only if they
 * are plausibly the same process (started after the run began and named like what was recorded),
 * so a recycled pid is never killed.
 */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function bootTimeMs(): number {
  const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  return m?.[1] ? Number(m[1]) * 1000 : 0;
}

/** State and wall-clock start time of a process, or undefined when it is gone. */
function procInfo(pid: number): { state: string; startedMs: number; cmdline: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+/g, ' ').trim();
    return { state: fields[0] ?? '?', startedMs: bootTimeMs() + (startTicks / CLK_TCK) * 1000, cmdline };
  } catch {
    return undefined;
  }
}

/** What the recorded process's command line must contain to be recognised as the same process. */
function nameHint(e: HistoryEvent): string | undefined {
  const d = e.data as { name?: string; command?: string[] };
  if (e.type === 'dep.start') return d.name;
  const cmd = d.command?.[0];
  return cmd ? (cmd.split('/').at(-1) ?? cmd) : undefined;
}

export function killRecordedOrphans(events: readonly HistoryEvent[], runStartedAtMs: number): number[] {
  const killed: number[] = [];
  for (const e of events) {
    if (e.type !== 'dep.start' && e.type !== 'target.start') continue;
    const pid = (e.data as { pid?: unknown }).pid;
    const hint = nameHint(e);
    if (typeof pid !== 'number' || !hint) continue;
    const info = procInfo(pid);
    // Run ids have second precision; allow a little clock slack before the run's start.
    if (!info || info.state === 'Z' || info.startedMs < runStartedAtMs - 2000 || !info.cmdline.includes(hint)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // Exited meanwhile.
    }
  }
  return killed;
}
