import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../runtimes/local/ports.ts';
import { type StartedPostgres, startPostgres } from '../runtimes/local/postgres.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-pg-'));
let pgs: StartedPostgres;
beforeAll(async () => {
  mkdirSync(join(dir, 'pg'));
  pgs = await startPostgres({ dir: join(dir, 'pg'), port: await freePort(), env: { PATH: process.env.PATH ?? '' }, signal: new AbortController().signal });
}, 60_000);
afterAll(async () => {
  await pgs?.process.stop('SIGINT', 5000);
  rmSync(dir, { recursive: true, force: true });
});

describe('pg-lock on a real PostgreSQL', () => {
  it('a writer hits its lock_timeout while the table lock is held, and writes after heal', async () => {
    const writer = new pg.Client({ connectionString: pgs.adminUrl });
    await writer.connect();
    try {
      await writer.query('CREATE TABLE fills (id serial PRIMARY KEY, qty numeric)');
      await writer.query("SET lock_timeout = '300ms'");
      const recorder = memoryRecorder();
      const k = faultKind('pg-lock');
      const active = await k.inject(
        testContext({ recorder, postgresUrl: () => pgs.adminUrl }),
        { instance: 'bot-1', occurrence: 'f1' },
        k.parse({ table: 'fills', durationMs: 2000 }),
      );
      await expect(writer.query('INSERT INTO fills (qty) VALUES (1)')).rejects.toMatchObject({ code: '55P03' });
      await active.heal();
      await active.heal();
      await writer.query('INSERT INTO fills (qty) VALUES (1)');
      expect((await writer.query('SELECT count(*)::int AS n FROM fills')).rows[0]).toEqual({ n: 1 });
      expect(recorder.events.map((e) => e.type)).toEqual(['lock.acquired', 'lock.released']);
    } finally {
      await writer.end();
    }
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => faultKind('pg-lock').parse({ table: 'fills; DROP TABLE x', durationMs: 10 })).toThrow(/plain/);
  });
});
