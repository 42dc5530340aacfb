import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-sqlite-integrity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const control: TargetControl = { instance: 'bot-1', pid: 1, running: true, stateDir: dir, signal: () => {}, restart: async () => {} };
const k = faultKind('sqlite-integrity');

async function inspect(file: string) {
  const recorder = memoryRecorder();
  await k.inject(testContext({ recorder, target: () => control }), { instance: 'bot-1', occurrence: 'f1' }, k.parse({ file }));
  return recorder.events.find((e) => e.type === 'integrity.checked')?.data;
}

describe('sqlite-integrity', () => {
  it('parses a STATE_DIR file and nothing else', () => {
    expect(k.parse({ file: 'refbot-journal.sqlite' })).toEqual({ file: 'refbot-journal.sqlite' });
    expect(() => k.parse({ file: '../x.sqlite' })).toThrow(/inside the instance/);
    expect(() => k.parse({ file: 'x', mode: 1 })).toThrow(/unknown parameter "mode"/);
    expect(k.instant).toBe(true);
  });

  it('records ok for a sound database', async () => {
    const db = new DatabaseSync(join(dir, 'good.sqlite'));
    db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES (1), (2), (3);');
    db.close();
    expect(await inspect('good.sqlite')).toMatchObject({ file: 'good.sqlite', exists: true, ok: true, result: ['ok'], ownerRunning: true, by: 'f1' });
  });

  it('records not ok with the reason for a database whose pages are damaged, and exists: false for none', async () => {
    const path = join(dir, 'bad.sqlite');
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX tv ON t (v);');
    for (let i = 0; i < 400; i++) db.exec(`INSERT INTO t (v) VALUES ('${'x'.repeat(50)}${i}')`);
    db.close();
    // Overwrite the middle of the file (index and table pages) with garbage: a torn or foreign write.
    const bytes = readFileSync(path);
    bytes.fill(0xab, 4096 * 2, 4096 * 4);
    writeFileSync(path, bytes);
    const bad = await inspect('bad.sqlite');
    expect(bad?.ok).toBe(false);
    expect(String(bad?.result)).toMatch(/malformed|corrupt|wrong|invalid|disk image|btree|page/i);
    expect(await inspect('none.sqlite')).toMatchObject({ exists: false, ok: false, result: [] });
  });
});
