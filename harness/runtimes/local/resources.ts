import { readdirSync, readFileSync } from 'node:fs';

export interface ResourceSample {
  rssKb: number;
  fds: number;
  threads: number;
}

/** RSS, open file descriptors and threads of a process from /proc; undefined once it is gone. */
export function sampleProcess(pid: number): ResourceSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKb: field('VmRSS'), threads: field('Threads'), fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined;
  }
}
