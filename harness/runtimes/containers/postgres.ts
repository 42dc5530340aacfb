import pg from 'pg';
import { waitFor } from '../../core/abort.ts';
import { type StartedDep, startDep } from './container.ts';
import { IMAGES } from './images.ts';
import type { RunNetwork } from './network.ts';

export const POSTGRES_ALIAS = 'postgres';

/**
 * The run's PostgreSQL: trust auth (nothing outside the run's internal network can reach it),
 * fsync off, one database "faultline". Targets reach it only through their db link.
 */
export async function startPostgresContainer(runId: string, network: RunNetwork, signal: AbortSignal): Promise<StartedDep & { adminUrl: string }> {
  const dep = await startDep({
    runId,
    network,
    role: 'postgres',
    image: IMAGES.postgres,
    alias: POSTGRES_ALIAS,
    command: ['postgres', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'faultline' },
    readyLog: /database system is ready to accept connections/,
    readyTimeoutMs: 60_000,
  });
  const adminUrl = `postgres://postgres@${dep.ip}:5432/faultline`;
  await waitFor(
    async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      try {
        await c.connect();
        await c.query('SELECT 1');
        return true;
      } catch {
        return undefined;
      } finally {
        await c.end().catch(() => {});
      }
    },
    { timeoutMs: 20_000, intervalMs: 100, signal, what: `postgres container at ${dep.ip}` },
  );
  return { ...dep, adminUrl };
}
