import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface SqliteIntegrityParams {
  /** Database file, relative to the instance's STATE_DIR. */
  file: string;
}

/** `db integrity.checked`: what SQLite's own consistency check said about the bot's database. */
export interface IntegrityCheckedData extends Record<string, unknown> {
  file: string;
  exists: boolean;
  /** `PRAGMA integrity_check` answered exactly "ok". */
  ok: boolean;
  /** Its rows (at most 20): "ok", or one line per problem; the error when the file could not be read. */
  result: string[];
  ownerRunning: boolean;
  by: string;
}

const MAX_ROWS = 20;

/**
 * Not a fault but an inspection, scheduled like one: opens the bot's SQLite database read-only and
 * runs `PRAGMA integrity_check` (004_8a8a9a4995486b8f.txt#C-INFRA-02: one SQLite connection shared by
 * threads without a lock, under concurrent order activity and kills, corrupts the state DB). The
 * check reads the committed state (a WAL database is read consistently while the bot writes) and
 * records `db integrity.checked`. A database that cannot be opened or read is recorded as not ok,
 * with the error; a missing file as exists: false (the check decides what that means).
 */
export const sqliteIntegrity: FaultKind<SqliteIntegrityParams> = {
  name: 'sqlite-integrity',
  description: 'Run PRAGMA integrity_check on the bot’s SQLite file (read-only) and record the result',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('sqlite-integrity', raw, ['file']);
    return { file: stateFileParam('sqlite-integrity', raw, 'file') };
  },
  async inject(ctx, target, params) {
    const t = ctx.target(target.instance);
    const path = join(t.stateDir, params.file);
    const data: IntegrityCheckedData = { file: params.file, exists: existsSync(path), ok: false, result: [], ownerRunning: t.running, by: target.occurrence };
    if (data.exists) {
      let db: DatabaseSync | undefined;
      try {
        db = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
        const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
        data.result = rows.slice(0, MAX_ROWS).map((r) => String(r.integrity_check));
        data.ok = rows.length === 1 && data.result[0] === 'ok';
      } catch (err) {
        data.result = [`cannot be read: ${(err as Error).message}`];
      } finally {
        db?.close();
      }
    }
    ctx.recorder.record('db', 'integrity.checked', data, target.instance);
    return { heal: async () => {} };
  },
};
