import { Redis } from 'ioredis';
import { waitFor } from '../../core/abort.ts';
import { ManagedProcess } from './process.ts';

export interface StartedRedis {
  url: string;
  port: number;
  process: ManagedProcess;
}

/** A throwaway redis-server on loopback: no persistence, its working dir in the run's temp folder. */
export async function startRedis(opts: { binary: string; port: number; dir: string; env: Record<string, string>; signal: AbortSignal }): Promise<StartedRedis> {
  const proc = await ManagedProcess.start({
    name: 'redis-server',
    command: opts.binary,
    args: ['--port', String(opts.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', opts.dir, '--loglevel', 'warning'],
    cwd: opts.dir,
    env: opts.env,
    stderrFile: `${opts.dir}/redis.stderr.log`,
    stdoutFile: `${opts.dir}/redis.stdout.log`,
  });
  try {
    await waitFor(
      async () => {
        if (!proc.running) throw new Error(`redis-server exited: ${JSON.stringify(proc.exitInfo)}`);
        const r = new Redis({ host: '127.0.0.1', port: opts.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        r.on('error', () => {});
        try {
          await r.connect();
          return (await r.ping()) === 'PONG' ? true : undefined;
        } finally {
          r.disconnect();
        }
      },
      { timeoutMs: 10_000, intervalMs: 50, signal: opts.signal, what: `redis-server on port ${opts.port}` },
    );
  } catch (err) {
    await proc.stop('SIGKILL', 0);
    throw err;
  }
  return { url: `redis://127.0.0.1:${opts.port}`, port: opts.port, process: proc };
}
