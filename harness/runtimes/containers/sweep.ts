import { spawnSync } from 'node:child_process';
import { docker } from './docker.ts';
import { LABEL, ownerAlive } from './labels.ts';

export interface ContainerSweep {
  containers: string[];
  networks: string[];
}

/**
 * Removes containers and networks labelled by a harness that is gone (SIGKILL, OOM, crash), or,
 * with `runId`, everything of that run whoever owns it (teardown's last pass). Containers go first:
 * a network with endpoints cannot be removed. Resources of a live harness (a concurrent run) are
 * left alone.
 */
export async function sweepContainers(opts: { runId?: string } = {}): Promise<ContainerSweep> {
  const d = await docker();
  const doomed = (labels: Record<string, string> | undefined) => (opts.runId !== undefined ? labels?.[LABEL.run] === opts.runId : !ownerAlive(labels));
  const filters = JSON.stringify({ label: [opts.runId ? `${LABEL.run}=${opts.runId}` : `${LABEL.managed}=run`] });
  const swept: ContainerSweep = { containers: [], networks: [] };
  for (const c of await d.listContainers({ all: true, filters })) {
    if (!doomed(c.Labels)) continue;
    await d
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => {});
    swept.containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id);
  }
  for (const n of await d.listNetworks({ filters })) {
    if (!doomed(n.Labels)) continue;
    await d
      .getNetwork(n.Id)
      .remove()
      .catch(() => {});
    swept.networks.push(n.Name);
  }
  return swept;
}

const hooked = new Set<string>();

/**
 * Synchronous last resort on process exit (an uncaught error, process.exit in a handler): removes
 * this run's containers and networks with the docker CLI, since nothing asynchronous runs in an
 * 'exit' handler. A normal teardown has already removed them and this finds nothing.
 */
export function installExitSweep(runId: string): () => void {
  const hook = () => {
    const filter = `label=${LABEL.run}=${runId}`;
    const ids = spawnSync('docker', ['ps', '-aq', '--filter', filter], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
    if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
    const nets = spawnSync('docker', ['network', 'ls', '-q', '--filter', filter], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
    if (nets.length) spawnSync('docker', ['network', 'rm', ...nets], { stdio: 'ignore' });
  };
  if (!hooked.has(runId)) {
    hooked.add(runId);
    process.on('exit', hook);
  }
  return () => {
    hooked.delete(runId);
    process.off('exit', hook);
  };
}
