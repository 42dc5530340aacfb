import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { waitFor } from '../../core/abort.ts';
import { ConfigError } from '../../core/errors.ts';
import { ManagedProcess } from './process.ts';

export interface StartedPostgres {
  /** Superuser URL on loopback, for the harness (faults, setup); targets get theirs through the db link. */
  adminUrl: string;
  port: number;
  database: string;
  process: ManagedProcess;
}

function pgBinDir(): string {
  const explicit = process.env.FAULTLINE_PG_BIN;
  if (explicit) return explicit;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new ConfigError('PostgreSQL server binaries not found (looked in FAULTLINE_PG_BIN and /usr/lib/postgresql/*/bin)', 'run `npm run provision`');
  return join(root, newest, 'bin');
}

/** Postgres refuses to run as root: as root we run it as the `postgres` system user, owning its folder. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new ConfigError('running as root, but there is no "postgres" user to run PostgreSQL as', 'install the postgresql package (npm run provision)');
  }
}

/**
 * A throwaway PostgreSQL cluster in the run's temp folder: initdb with trust auth on loopback,
 * fsync off (nothing here must survive a crash of the machine), one database "faultline".
 */
export async function startPostgres(opts: { dir: string; port: number; env: Record<string, string>; signal: AbortSignal }): Promise<StartedPostgres> {
  const bin = pgBinDir();
  const data = join(opts.dir, 'pgdata');
  const sockets = join(opts.dir, 'pgsock');
  mkdirSync(sockets, { recursive: true });
  const user = runAs();
  if (user) {
    // The run's temp folder is private (0700); the postgres user needs to pass through it.
    chmodSync(dirname(opts.dir), 0o711);
    chownSync(opts.dir, user.uid, user.gid);
    chownSync(sockets, user.uid, user.gid);
  }
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    env: { ...opts.env, LC_ALL: 'C' },
    stdio: 'ignore',
    ...(user ?? {}),
  });
  const proc = await ManagedProcess.start({
    name: 'postgres',
    command: join(bin, 'postgres'),
    args: ['-D', data, '-p', String(opts.port), '-k', sockets, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    cwd: opts.dir,
    env: { ...opts.env, LC_ALL: 'C' },
    stderrFile: join(opts.dir, 'postgres.log'),
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  const adminUrl = `postgres://postgres@127.0.0.1:${opts.port}/postgres`;
  try {
    await waitFor(
      async () => {
        if (!proc.running) throw new Error(`postgres exited: ${JSON.stringify(proc.exitInfo)}`);
        const c = new pg.Client({ connectionString: adminUrl });
        try {
          await c.connect();
          await c.query('SELECT 1');
          return true;
        } finally {
          await c.end().catch(() => {});
        }
      },
      { timeoutMs: 20_000, intervalMs: 100, signal: opts.signal, what: `postgres on port ${opts.port}` },
    );
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query('CREATE DATABASE faultline');
    await c.end();
  } catch (err) {
    await proc.stop('SIGKILL', 0);
    throw err;
  }
  return { adminUrl: `postgres://postgres@127.0.0.1:${opts.port}/faultline`, port: opts.port, database: 'faultline', process: proc };
}
