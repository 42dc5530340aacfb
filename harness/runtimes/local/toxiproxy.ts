import { Toxiproxy } from 'toxiproxy-node-client';
import { waitFor } from '../../core/abort.ts';
import type { Link, LinkName, ToxicSpec } from '../types.ts';
import { ManagedProcess } from './process.ts';

export interface StartedToxiproxy {
  apiUrl: string;
  client: Toxiproxy;
  process: ManagedProcess;
}

/** The real Toxiproxy server (built by `npm run provision`), its API on a loopback port. */
export async function startToxiproxy(opts: {
  binary: string;
  port: number;
  dir: string;
  env: Record<string, string>;
  signal: AbortSignal;
}): Promise<StartedToxiproxy> {
  const proc = await ManagedProcess.start({
    name: 'toxiproxy-server',
    command: opts.binary,
    args: ['-host', '127.0.0.1', '-port', String(opts.port)],
    cwd: opts.dir,
    env: opts.env,
    stderrFile: `${opts.dir}/toxiproxy.log`,
    stdoutFile: `${opts.dir}/toxiproxy.log`,
  });
  const apiUrl = `http://127.0.0.1:${opts.port}`;
  const client = new Toxiproxy(apiUrl);
  try {
    await waitFor(
      async () => {
        if (!proc.running) throw new Error(`toxiproxy-server exited: ${JSON.stringify(proc.exitInfo)}`);
        return (await client.getVersion()) ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, signal: opts.signal, what: `toxiproxy-server API on port ${opts.port}` },
    );
  } catch (err) {
    await proc.stop('SIGKILL', 0);
    throw err;
  }
  return { apiUrl, client, process: proc };
}

/** Creates a proxy on a kernel-chosen loopback port; the port survives disable/enable. */
export async function createProxyLink(
  client: Toxiproxy,
  proxyName: string,
  instance: string,
  name: LinkName,
  upstream: string,
): Promise<Link & { remove(): Promise<void> }> {
  const created = await client.createProxy({ name: proxyName, listen: '127.0.0.1:0', upstream });
  const listen = created.listen;
  const setEnabled = async (enabled: boolean) => {
    const p = await client.get(proxyName);
    await p.update({ enabled, listen, upstream });
  };
  return {
    instance,
    name,
    listen,
    upstream,
    disable: () => setEnabled(false),
    enable: () => setEnabled(true),
    async addToxic(t: ToxicSpec) {
      const p = await client.get(proxyName);
      await p.addToxic({ name: t.name, type: t.type as never, stream: t.stream as never, toxicity: t.toxicity ?? 1, attributes: t.attributes as never });
    },
    async removeToxic(name: string) {
      const p = await client.get(proxyName);
      const res = await fetch(`${p.getHost()}/proxies/${encodeURIComponent(proxyName)}/toxics/${encodeURIComponent(name)}`, { method: 'DELETE' });
      // 404: already gone, which is what heal wants.
      if (!res.ok && res.status !== 404) throw new Error(`toxiproxy: removing toxic ${name} from ${proxyName} failed: HTTP ${res.status}`);
    },
    remove: async () => {
      const p = await client.get(proxyName);
      await p.remove();
    },
  };
}
