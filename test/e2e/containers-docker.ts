import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Docker for the container tests. These tests never skip: a machine without a running engine
 * fails them loudly (CI provisions one; so does `npm run provision`).
 */
export function requireDocker(): void {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `Docker is required for the container tests and is not available: ${(r.stderr || r.error?.message || '').trim()}\nrun \`npm run provision\` (installs docker.io and starts dockerd)`,
    );
  }
}

function lines(args: string[]): string[] {
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Containers and networks still carrying a label (e.g. faultline.run=<id>), as `docker ps -a` / `docker network ls` show them. */
export function dockerLeftovers(label: string): string[] {
  return [
    ...lines(['ps', '-a', '--filter', `label=${label}`, '--format', 'container {{.Names}} ({{.Status}})']),
    ...lines(['network', 'ls', '--filter', `label=${label}`, '--format', 'network {{.Name}}']),
  ];
}

export function runIdOf(events: { type: string; data: Record<string, unknown> }[]): string {
  const id = events.find((e) => e.type === 'run.start')?.data.runId;
  if (typeof id !== 'string') throw new Error('no run.start with a runId in the history');
  return id;
}
