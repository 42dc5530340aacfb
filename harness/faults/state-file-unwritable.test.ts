import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-unwritable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const control = (): TargetControl => ({ instance: 'bot-1', pid: 0, running: true, stateDir: dir, signal: () => {}, restart: async () => {} });

describe('state-file-unwritable', () => {
  const k = faultKind('state-file-unwritable');

  it('parses file and durationMs, and rejects paths outside STATE_DIR', () => {
    expect(k.parse({ file: 'alerts.jsonl', durationMs: 4000 })).toEqual({ file: 'alerts.jsonl', durationMs: 4000 });
    expect(() => k.parse({ file: '../x', durationMs: 1 })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ file: 'a' })).toThrow(/durationMs/);
    expect(() => k.parse({ file: 'a', durationMs: 1, mode: 0 })).toThrow(/unknown parameter "mode"/);
  });

  it('makes appends fail (even for root) until heal, then restores the file with what it held', async () => {
    const path = join(dir, 'alerts.jsonl');
    writeFileSync(path, '{"kind":"a"}\n');
    const recorder = memoryRecorder();
    const f = await k.inject(
      testContext({ recorder, target: control }),
      { instance: 'bot-1', occurrence: 'u1' },
      k.parse({ file: 'alerts.jsonl', durationMs: 1000 }),
    );
    expect(() => appendFileSync(path, '{"kind":"b"}\n')).toThrow(/EISDIR/);
    expect(recorder.events.map((e) => [e.type, e.data])).toEqual([['file.unwritable', { id: 'u1', file: path, existed: true, bytes: 13 }]]);
    await f.heal();
    await f.heal();
    expect(statSync(path).isFile()).toBe(true);
    appendFileSync(path, '{"kind":"c"}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"kind":"a"}\n{"kind":"c"}\n');
    expect(existsSync(`${path}.faultline-aside`)).toBe(false);
    expect(recorder.events.filter((e) => e.type === 'file.writable')).toHaveLength(1);
  });

  it('works on a file the bot has not created yet: it can create it only after heal', async () => {
    const path = join(dir, 'later.jsonl');
    const f = await k.inject(
      testContext({ recorder: memoryRecorder(), target: control }),
      { instance: 'bot-1', occurrence: 'u2' },
      k.parse({ file: 'later.jsonl', durationMs: 1 }),
    );
    expect(() => appendFileSync(path, 'x\n')).toThrow(/EISDIR/);
    await f.heal();
    expect(existsSync(path)).toBe(false);
    appendFileSync(path, 'x\n');
    expect(readFileSync(path, 'utf8')).toBe('x\n');
  });
});
