import { Toxiproxy } from 'toxiproxy-node-client';
import { waitFor } from '../../core/abort.ts';
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
