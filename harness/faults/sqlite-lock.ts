import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface SqliteLockParams {
  /** Database file, relative to the instance's STATE_DIR. */
  file: string;
  durationMs: number;
}

/**
 * Holds an exclusive lock on the bot's SQLite database (BEGIN EXCLUSIVE from another
 * connection) for durationMs: its writes get SQLITE_BUSY or block for their busy timeout, the
 * contention a backup job, a second process or a slow disk causes. The trading loop must keep its
 * cadence and lose no fill.
 */
export const sqliteLock: FaultKind<SqliteLockParams> = {
  name: 'sqlite-lock',
  description: 'Hold an exclusive lock on the bot’s SQLite file for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('sqlite-lock', raw, ['file', 'durationMs']);
    const file = stateFileParam('sqlite-lock', raw, 'file');
    return { file, durationMs: msParam('sqlite-lock', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target, params) {
    const path = join(ctx.target(target.instance).stateDir, params.file);
    const db = new DatabaseSync(path, { timeout: 5000 });
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      throw err;
    }
    ctx.recorder.record('db', 'lock.acquired', { file: path, mode: 'exclusive', by: target.occurrence }, target.instance);
    return healOnce(async () => {
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
        ctx.recorder.record('db', 'lock.released', { file: path, by: target.occurrence }, target.instance);
      }
    });
  },
};
