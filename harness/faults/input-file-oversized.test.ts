import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-input-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function control(): TargetControl {
  return { instance: 'bot-1', pid: 0, running: true, stateDir: dir, signal: () => {}, restart: async () => {} };
}

describe('input-file-oversized', () => {
  const k = faultKind('input-file-oversized');

  it('parses its params and rejects bad sizes, paths outside STATE_DIR and typos', () => {
    expect(k.parse({ file: 'refbot-decision.json', sizeMb: 8, durationMs: 5000 })).toEqual({
      file: 'refbot-decision.json',
      sizeMb: 8,
      durationMs: 5000,
      format: 'json',
    });
    expect(k.parse({ file: 'ops.log', sizeMb: 1, durationMs: 1, format: 'lines' })).toMatchObject({ format: 'lines' });
    expect(() => k.parse({ file: 'ops.log', sizeMb: 1, durationMs: 1, format: 'csv' })).toThrow(/format must be/);
    expect(() => k.parse({ file: 'd.json', sizeMb: 0, durationMs: 1 })).toThrow(/sizeMb/);
    expect(() => k.parse({ file: 'd.json', sizeMb: 1.5, durationMs: 1 })).toThrow(/sizeMb/);
    expect(() => k.parse({ file: 'd.json', sizeMb: 257, durationMs: 1 })).toThrow(/sizeMb/);
    expect(() => k.parse({ file: '../d.json', sizeMb: 1, durationMs: 1 })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ file: 'd.json', sizeMb: 1 })).toThrow(/durationMs/);
    expect(() => k.parse({ file: 'd.json', sizeMb: 1, durationMs: 1, sizeMB: 1 })).toThrow(/unknown parameter "sizeMB"/);
  });

  it('writes one valid JSON object of the given size, records it, and removes it once at heal', async () => {
    const recorder = memoryRecorder();
    const path = join(dir, 'refbot-decision.json');
    const active = await k.inject(
      testContext({ recorder, target: () => control() }),
      { instance: 'bot-1', occurrence: 'f2' },
      k.parse({ file: 'refbot-decision.json', sizeMb: 2, durationMs: 10 }),
    );
    expect(statSync(path).size).toBe(2 * 1024 * 1024);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { note: string };
    expect(doc.note).toMatch(/^x+$/);
    expect(existsSync(`${path}.faultline-tmp`)).toBe(false);
    expect(recorder.events.map((e) => [e.src, e.type, e.data, e.instance])).toEqual([
      ['fault', 'input-file.written', { id: 'f2', file: 'refbot-decision.json', bytes: 2 * 1024 * 1024 }, 'bot-1'],
    ]);
    await active.heal();
    await active.heal();
    expect(existsSync(path)).toBe(false);
    expect(recorder.events.map((e) => e.type)).toEqual(['input-file.written', 'input-file.removed']);
  });

  it('with format lines writes a log of whole lines of the given size', async () => {
    const path = join(dir, 'ops.log');
    const active = await k.inject(
      testContext({ recorder: memoryRecorder(), target: () => control() }),
      { instance: 'bot-1', occurrence: 'f3' },
      k.parse({ file: 'ops.log', sizeMb: 2, durationMs: 10, format: 'lines' }),
    );
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBe(2 * 1024 * 1024);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe(''); // ends with a newline
    expect(lines.length).toBeGreaterThan(20_000);
    expect(lines[0]).toMatch(/^2026-11-22 12:00:00,000 WARNING faultline.filler: /);
    await active.heal();
    expect(existsSync(path)).toBe(false);
  });
});
