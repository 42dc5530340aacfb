import { Toxiproxy } from 'toxiproxy-node-client';
import { waitFor } from '../../core/abort.ts';
import type { Link, LinkName, ToxicSpec } from '../types.ts';
import { type StartedDep, startDep } from './container.ts';
import { IMAGES } from './images.ts';
import type { RunNetwork } from './network.ts';

export const TOXIPROXY_ALIAS = 'toxiproxy';

/** The real Toxiproxy in a container; its API at <ip>:8474 for the harness, its proxies at toxiproxy:<port> for targets. */
export async function startToxiproxyContainer(
  runId: string,
  network: RunNetwork,
  signal: AbortSignal,
): Promise<StartedDep & { apiUrl: string; client: Toxiproxy }> {
  const dep = await startDep({
    runId,
    network,
    role: 'toxiproxy',
    image: IMAGES.toxiproxy,
    alias: TOXIPROXY_ALIAS,
    command: ['-host=0.0.0.0'],
    readyLog: /Starting Toxiproxy HTTP server/,
  });
  const apiUrl = `http://${dep.ip}:8474`;
  const client = new Toxiproxy(apiUrl);
  await waitFor(async () => ((await client.getVersion().catch(() => undefined)) ? true : undefined), {
    timeoutMs: 10_000,
    intervalMs: 50,
    signal,
    what: `toxiproxy API at ${apiUrl}`,
  });
  return { ...dep, apiUrl, client };
}

/**
 * A proxy listening on all of the container's interfaces on a port Toxiproxy picks; targets get
 * it as toxiproxy:<port>. The port survives disable/enable, as in the local runtime.
 */
export async function createContainerLink(
  client: Toxiproxy,
  proxyName: string,
  instance: string,
  name: LinkName,
  upstream: string,
): Promise<Link & { remove(): Promise<void> }> {
  const created = await client.createProxy({ name: proxyName, listen: '0.0.0.0:0', upstream });
  const bound = created.listen;
  const port = bound.slice(bound.lastIndexOf(':') + 1);
  const setEnabled = async (enabled: boolean) => {
    const p = await client.get(proxyName);
    await p.update({ enabled, listen: bound, upstream });
  };
  return {
    instance,
    name,
    listen: `${TOXIPROXY_ALIAS}:${port}`,
    upstream,
    disable: () => setEnabled(false),
    enable: () => setEnabled(true),
    async addToxic(t: ToxicSpec) {
      const p = await client.get(proxyName);
      await p.addToxic({ name: t.name, type: t.type as never, stream: t.stream as never, toxicity: t.toxicity ?? 1, attributes: t.attributes as never });
    },
    async removeToxic(toxic: string) {
      const p = await client.get(proxyName);
      const res = await fetch(`${p.getHost()}/proxies/${encodeURIComponent(proxyName)}/toxics/${encodeURIComponent(toxic)}`, { method: 'DELETE' });
      // 404: already gone, which is what heal wants.
      if (!res.ok && res.status !== 404) throw new Error(`toxiproxy: removing toxic ${toxic} from ${proxyName} failed: HTTP ${res.status}`);
    },
    remove: async () => {
      const p = await client.get(proxyName);
      await p.remove();
    },
  };
}
