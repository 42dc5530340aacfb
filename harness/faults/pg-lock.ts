import pg from 'pg';
import { ConfigError } from '../core/errors.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

const MODES = ['ACCESS EXCLUSIVE', 'EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'SHARE', 'ROW EXCLUSIVE'] as const;

export interface PgLockParams {
  table: string;
  mode: (typeof MODES)[number];
  durationMs: number;
}

/**
 * Holds a table lock in the bot's PostgreSQL database for durationMs (LOCK TABLE inside an open
 * transaction, as a migration or a long report query does): its statements on that table wait or
 * hit their lock_timeout. The trading loop must keep its cadence and lose no fill.
 */
export const pgLock: FaultKind<PgLockParams> = {
  name: 'pg-lock',
  description: 'Hold a PostgreSQL table lock (default ACCESS EXCLUSIVE) for durationMs',
  links: [],
  needsPostgres: true,
  parse(raw) {
    onlyKeys('pg-lock', raw, ['table', 'mode', 'durationMs']);
    if (typeof raw.table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(raw.table)) {
      throw new ConfigError('fault pg-lock: table must be a plain (optionally schema-qualified) table name');
    }
    const mode = (raw.mode ?? 'ACCESS EXCLUSIVE') as PgLockParams['mode'];
    if (!MODES.includes(mode)) throw new ConfigError(`fault pg-lock: mode must be one of ${MODES.join(', ')}`);
    return { table: raw.table, mode, durationMs: msParam('pg-lock', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target, params) {
    const client = new pg.Client({ connectionString: ctx.postgresUrl() });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Identifiers were validated above; LOCK TABLE takes no bind parameters.
      await client.query(`LOCK TABLE ${params.table} IN ${params.mode} MODE`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    ctx.recorder.record('db', 'lock.acquired', { table: params.table, mode: params.mode, by: target.occurrence }, target.instance);
    return healOnce(async () => {
      try {
        await client.query('ROLLBACK');
      } finally {
        await client.end();
        ctx.recorder.record('db', 'lock.released', { table: params.table, by: target.occurrence }, target.instance);
      }
    });
  },
};
