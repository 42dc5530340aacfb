import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-kill-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function control(): TargetControl {
  return { instance: 'bot-1', pid: 0, running: true, stateDir: dir, signal: () => {}, restart: async () => {} };
}

describe('kill-switch-file', () => {
  const k = faultKind('kill-switch-file');

  it('parses its params and rejects paths outside STATE_DIR, typos and bad content', () => {
    expect(k.parse({ file: 'refbot.kill', durationMs: 3000 })).toEqual({ file: 'refbot.kill', durationMs: 3000, content: 'faultline kill switch' });
    expect(() => k.parse({ file: '../x', durationMs: 1 })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ file: '/etc/x', durationMs: 1 })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ file: 'refbot.kill' })).toThrow(/durationMs/);
    expect(() => k.parse({ file: 'refbot.kill', durationMs: 1, durationMS: 1 })).toThrow(/unknown parameter "durationMS"/);
    expect(() => k.parse({ file: 'refbot.kill', durationMs: 1, content: 3 })).toThrow(/content/);
    expect(k.instant).toBeFalsy();
  });

  it('writes the file into STATE_DIR, records it, and removes it once at heal', async () => {
    const recorder = memoryRecorder();
    const path = join(dir, 'refbot.kill');
    const active = await k.inject(
      testContext({ recorder, target: () => control() }),
      { instance: 'bot-1', occurrence: 'f3' },
      k.parse({ file: 'refbot.kill', durationMs: 10, content: 'halt now' }),
    );
    expect(readFileSync(path, 'utf8')).toBe('halt now\n');
    expect(recorder.events.map((e) => [e.src, e.type, e.data, e.instance])).toEqual([['fault', 'kill-file.written', { id: 'f3', file: path }, 'bot-1']]);
    await active.heal();
    await active.heal();
    expect(existsSync(path)).toBe(false);
    expect(recorder.events.map((e) => e.type)).toEqual(['kill-file.written', 'kill-file.removed']);
  });
});
