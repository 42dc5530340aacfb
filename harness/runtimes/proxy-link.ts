import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Link, LinkName, ToxicSpec } from './types.ts';

/**
 * A Link backed by one Toxiproxy proxy, for every runtime: the proxy listens on `bind` (port 0:
 * the server picks one, kept across disable/enable), and `advertise` turns the bound address into
 * what the target dials (127.0.0.1:port locally, toxiproxy:port on a container network).
 */
export async function createProxyLink(
  client: Toxiproxy,
  opts: { proxyName: string; instance: string; name: LinkName; upstream: string; bind: string; advertise: (bound: string) => string },
): Promise<Link & { remove(): Promise<void> }> {
  const { proxyName, upstream } = opts;
  const created = await client.createProxy({ name: proxyName, listen: opts.bind, upstream });
  const bound = created.listen;
  const setEnabled = async (enabled: boolean) => {
    const p = await client.get(proxyName);
    await p.update({ enabled, listen: bound, upstream });
  };
  return {
    instance: opts.instance,
    name: opts.name,
    listen: opts.advertise(bound),
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
