import { processStartTicks } from '../local/pid-registry.ts';

/**
 * Every container and network the containers runtime creates carries these labels: they are how
 * teardown, the exit hook and the sweep of a later run find what a harness left behind, since the
 * testcontainers reaper (Ryuk) cannot be pulled here and is disabled.
 */
export const LABEL = {
  managed: 'faultline.managed',
  run: 'faultline.run',
  harnessPid: 'faultline.harness-pid',
  /** Start time of the harness process (/proc/<pid>/stat field 22): a reused pid does not match. */
  harnessStart: 'faultline.harness-start',
  role: 'faultline.role',
  instance: 'faultline.instance',
} as const;

export function harnessIdentity(): { pid: number; start: string } {
  return { pid: process.pid, start: processStartTicks(process.pid) ?? '?' };
}

export function runLabels(runId: string, role: string, instance?: string): Record<string, string> {
  const me = harnessIdentity();
  return {
    [LABEL.managed]: 'run',
    [LABEL.run]: runId,
    [LABEL.harnessPid]: String(me.pid),
    [LABEL.harnessStart]: me.start,
    [LABEL.role]: role,
    ...(instance ? { [LABEL.instance]: instance } : {}),
  };
}

/** True when the harness that labelled a resource is still the very process that is running. */
export function ownerAlive(labels: Record<string, string> | undefined): boolean {
  const pid = Number(labels?.[LABEL.harnessPid]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const start = labels?.[LABEL.harnessStart];
  const now = processStartTicks(pid);
  if (now === undefined) return false;
  return start === undefined || start === '?' || start === now;
}
