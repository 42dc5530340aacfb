import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { judgeText } from './state-files-complete.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-files-complete-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const control: TargetControl = { instance: 'bot-1', pid: 1, running: false, stateDir: dir, signal: () => {}, restart: async () => {} };
const k = faultKind('state-files-complete');

describe('state-files-complete', () => {
  it('parses a list of .json / .jsonl STATE_DIR files and nothing else', () => {
    expect(k.parse({ files: ['a.json', 'b.jsonl'] })).toEqual({ files: ['a.json', 'b.jsonl'] });
    expect(() => k.parse({ files: [] })).toThrow(/non-empty list/);
    expect(() => k.parse({ files: ['../a.json'] })).toThrow(/inside the instance/);
    expect(() => k.parse({ files: ['a.sqlite'] })).toThrow(/\.json or \.jsonl/);
    expect(() => k.parse({ files: ['a.json'], x: 1 })).toThrow(/unknown parameter "x"/);
    expect(k.instant).toBe(true);
  });

  it('judges JSON documents and JSON lines', () => {
    expect(judgeText('a.json', '{"a":1}')).toEqual({ complete: true });
    expect(judgeText('a.json', '{"a":')).toMatchObject({ complete: false, problem: expect.stringMatching(/not a whole JSON document/) });
    expect(judgeText('a.jsonl', '')).toEqual({ complete: true });
    expect(judgeText('a.jsonl', '{"a":1}\n{"b":2}\n')).toEqual({ complete: true });
    expect(judgeText('a.jsonl', '{"a":1}\n{"b":')).toMatchObject({ complete: false, problem: expect.stringMatching(/last line is not terminated/) });
    expect(judgeText('a.jsonl', '{"a":1}\n{"b\n')).toMatchObject({ complete: false, problem: expect.stringMatching(/line 2 is not JSON/) });
  });

  it('records each file’s verdict, a missing one as exists: false', async () => {
    writeFileSync(join(dir, 'state.json'), '{"position":"0.004"}');
    writeFileSync(join(dir, 'alerts.jsonl'), '{"kind":"halt"}\n{"kind":"lif');
    const recorder = memoryRecorder();
    await k.inject(
      testContext({ recorder, target: () => control }),
      { instance: 'bot-1', occurrence: 'f3' },
      k.parse({ files: ['state.json', 'alerts.jsonl', 'none.json'] }),
    );
    const d = recorder.events.find((e) => e.type === 'files.inspected')?.data;
    expect(d).toMatchObject({
      ownerRunning: false,
      by: 'f3',
      files: [
        { file: 'state.json', exists: true, complete: true },
        { file: 'alerts.jsonl', exists: true, complete: false },
        { file: 'none.json', exists: false, complete: false },
      ],
    });
  });
});
