import { Toxiproxy } from 'toxiproxy-node-client';
import { waitFor } from '../../core/abort.ts';
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
