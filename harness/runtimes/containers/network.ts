import type Dockerode from 'dockerode';
import { runLabels } from './labels.ts';

export interface RunNetwork {
  name: string;
  id: string;
  /** The host's address on the network: the venue relay listens here, for Toxiproxy only. */
  gateway: string;
  remove(): Promise<void>;
}

/**
 * The run's own Docker network. Internal: Docker routes nothing from it to the outside, so no
 * container of the run can reach beyond this host. The host itself keeps an address on it (the
 * gateway); Toxiproxy reaches the venue relay there, and the netguard (target.ts) takes it out of
 * the targets' reach. The harness reaches the dependencies by their addresses on it: nothing is
 * published on the host's interfaces.
 */
export async function createRunNetwork(d: Dockerode, runId: string): Promise<RunNetwork> {
  const name = `faultline-${runId}`;
  const net = await d.createNetwork({ Name: name, Driver: 'bridge', Internal: true, CheckDuplicate: true, Labels: runLabels(runId, 'network') });
  try {
    const info = (await net.inspect()) as { Id: string; IPAM?: { Config?: { Gateway?: string }[] } };
    const gateway = info.IPAM?.Config?.[0]?.Gateway;
    if (!gateway) throw new Error(`docker network ${name} has no gateway address`);
    return { name, id: info.Id, gateway, remove: () => net.remove() as Promise<void> };
  } catch (err) {
    await net.remove().catch(() => {});
    throw err;
  }
}
