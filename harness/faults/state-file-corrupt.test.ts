import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-state-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOC = '{"orderCounter": 12}';

function control(running: boolean): TargetControl {
  return { instance: 'bot-1', pid: 1, running, stateDir: dir, signal: () => {}, restart: async () => {} };
}

async function corrupt(params: Record<string, unknown>, running = false) {
  const kind = faultKind('state-file-corrupt');
  const recorder = memoryRecorder();
  const ctx = testContext({ recorder, target: () => control(running) });
  const active = await kind.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, kind.parse(params));
  await active.heal();
  return recorder.events;
}

describe('state-file-corrupt', () => {
  it('truncate keeps the first half of the bytes (a torn write) and records it', async () => {
    writeFileSync(join(dir, 'state.json'), DOC);
    const events = await corrupt({ file: 'state.json' });
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(DOC.slice(0, 10));
    expect(() => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toThrow();
    expect(events).toEqual([
      expect.objectContaining({
        src: 'fault',
        type: 'file.corrupted',
        instance: 'bot-1',
        data: { file: 'state.json', mode: 'truncate', bytesBefore: 20, bytesAfter: 10, ownerRunning: false, by: 'f1' },
      }),
    ]);
  });

  it('empty leaves zero bytes; garbage leaves non-UTF-8 bytes of the same length', async () => {
    writeFileSync(join(dir, 'a.json'), DOC);
    await corrupt({ file: 'a.json', mode: 'empty' });
    expect(readFileSync(join(dir, 'a.json')).length).toBe(0);
    writeFileSync(join(dir, 'b.json'), DOC);
    const events = await corrupt({ file: 'b.json', mode: 'garbage' }, true);
    const bytes = readFileSync(join(dir, 'b.json'));
    expect(bytes.length).toBe(20);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(events[0]?.data).toMatchObject({ mode: 'garbage', ownerRunning: true });
  });

  it('fails when the file does not exist (the fault would not take effect)', async () => {
    await expect(corrupt({ file: 'missing.json' })).rejects.toThrow(/ENOENT/);
  });

  it('rejects paths outside STATE_DIR, unknown modes and unknown parameters', () => {
    const kind = faultKind('state-file-corrupt');
    expect(() => kind.parse({ file: '../x' })).toThrow(/inside/);
    expect(() => kind.parse({ file: '/etc/passwd' })).toThrow(/inside/);
    expect(() => kind.parse({ file: 'x', mode: 'shred' })).toThrow(/mode must be one of/);
    expect(() => kind.parse({ file: 'x', bytes: 3 })).toThrow(/unknown parameter/);
    expect(kind.parse({ file: 'x' })).toEqual({ file: 'x', mode: 'truncate' });
  });
});
