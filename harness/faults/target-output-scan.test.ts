import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-output-scan-'));
const KEY = 'KeyLeak123456';
const SECRET = 'SecretLeak987654';
const child = spawn('sleep', ['30'], { env: { VENUE_API_KEY: KEY, VENUE_API_SECRET: SECRET } });
afterAll(() => {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function control(pid: number, logDir: string | undefined): TargetControl {
  return { instance: 'bot-1', pid, running: true, stateDir: dir, ...(logDir ? { logDir } : {}), signal: () => {}, restart: async () => {} };
}

describe('target-output-scan', () => {
  const k = faultKind('target-output-scan');

  it('parses its params', () => {
    expect(k.parse({})).toEqual({ maxLines: 200 });
    expect(k.parse({ grep: 'control .* -> \\d{3}', maxLines: 5 })).toEqual({ grep: 'control .* -> \\d{3}', maxLines: 5 });
    expect(() => k.parse({ grep: '(' })).toThrow(/regular expression/);
    expect(() => k.parse({ maxLines: 0 })).toThrow(/maxLines/);
    expect(k.parse({ grep: 'x', durationMs: 4000 })).toEqual({ grep: 'x', maxLines: 200, durationMs: 4000 });
    expect(() => k.parse({ durationMs: 0 })).toThrow(/durationMs/);
    expect(() => k.parse({ windowMs: 10 })).toThrow(/unknown parameter "windowMs"/);
    expect(k.instant).toBeFalsy();
  });

  it('scans the captured output at heal for the credentials and records grep matches, redacted', async () => {
    writeFileSync(join(dir, 'stdout.log'), '{"probe":"ready"}\n');
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, target: () => control(child.pid as number, dir) });
    const f = await k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ grep: 'control', maxLines: 1 }));
    expect(recorder.events).toEqual([]); // nothing until heal
    writeFileSync(
      join(dir, 'stderr.log'),
      [
        'INFO start',
        `DEBUG request GET /x headers={'X-MBX-APIKEY': '${KEY}'}`,
        'WARNING control POST /halt -> 401',
        'WARNING control GET /status -> 429',
        '',
      ].join('\n'),
    );
    await f.heal();
    await f.heal();
    const scan = recorder.events.filter((e) => e.type === 'output.scan');
    expect(scan).toHaveLength(1);
    expect(scan[0]?.data).toMatchObject({
      secretsKnown: ['api-key', 'api-secret'],
      grep: 'control',
      matched: 2,
      maxLines: 1,
      files: [
        { file: 'stdout.log', lines: 1 },
        { file: 'stderr.log', lines: 4 },
      ],
      hits: [{ file: 'stderr.log', line: 2, secret: 'api-key', excerpt: "DEBUG request GET /x headers={'X-MBX-APIKEY': '<redacted:api-key>'}" }],
    });
    expect(JSON.stringify(recorder.events)).not.toContain(KEY);
    const lines = recorder.events.filter((e) => e.type === 'output.line');
    expect(lines.map((e) => e.data)).toEqual([{ id: 'f1', file: 'stderr.log', line: 3, text: 'WARNING control POST /halt -> 401' }]);
  });

  it('with durationMs, scans only what was written after its inject, keeping the line numbers', async () => {
    const wdir = mkdtempSync(join(tmpdir(), 'fl-output-window-'));
    try {
      writeFileSync(join(wdir, 'stderr.log'), 'ERROR balance unreadable (before the window)\nINFO tick\n');
      const recorder = memoryRecorder();
      const ctx = testContext({ recorder, target: () => control(child.pid as number, wdir) });
      const f = await k.inject(ctx, { instance: 'bot-1', occurrence: 'w1' }, k.parse({ grep: 'balance', durationMs: 3000 }));
      writeFileSync(join(wdir, 'stderr.log'), 'INFO tick\nERROR balance unreadable (in the window)\n', { flag: 'a' });
      writeFileSync(join(wdir, 'stdout.log'), '{"probe":"halt"}\n'); // created after inject: all of it is in the window
      await f.heal();
      const scan = recorder.events.find((e) => e.type === 'output.scan');
      expect(scan?.data).toMatchObject({
        windowMs: 3000,
        matched: 1,
        files: [
          { file: 'stdout.log', lines: 1, fromLine: 1 },
          { file: 'stderr.log', lines: 2, fromLine: 3 },
        ],
      });
      const lines = recorder.events.filter((e) => e.type === 'output.line').map((e) => e.data);
      expect(lines).toEqual([{ id: 'w1', file: 'stderr.log', line: 4, text: 'ERROR balance unreadable (in the window)' }]);
    } finally {
      rmSync(wdir, { recursive: true, force: true });
    }
  });

  it('with stateFiles, also scans those STATE_DIR files (window included) as state/<name>', async () => {
    const sdir = mkdtempSync(join(tmpdir(), 'fl-output-state-'));
    const ldir = mkdtempSync(join(tmpdir(), 'fl-output-logs-'));
    try {
      writeFileSync(join(sdir, 'ops.log'), 'WARNING stderr failed (before the window)\n');
      const recorder = memoryRecorder();
      const ctl = { ...control(child.pid as number, ldir), stateDir: sdir };
      const ctx = testContext({ recorder, target: () => ctl });
      const f = await k.inject(
        ctx,
        { instance: 'bot-1', occurrence: 's1' },
        k.parse({ grep: 'stderr', durationMs: 3000, stateFiles: ['ops.log', 'missing.log'] }),
      );
      writeFileSync(join(sdir, 'ops.log'), 'WARNING stderr failed: Broken pipe\n', { flag: 'a' });
      await f.heal();
      const scan = recorder.events.find((e) => e.type === 'output.scan');
      expect(scan?.data.files).toEqual([{ file: 'state/ops.log', bytes: 35, lines: 1, fromLine: 2 }]);
      const lines = recorder.events.filter((e) => e.type === 'output.line').map((e) => e.data);
      expect(lines).toEqual([{ id: 's1', file: 'state/ops.log', line: 2, text: 'WARNING stderr failed: Broken pipe' }]);
    } finally {
      rmSync(sdir, { recursive: true, force: true });
      rmSync(ldir, { recursive: true, force: true });
    }
  });

  it('rejects stateFiles that are not a list of files inside STATE_DIR', () => {
    expect(() => k.parse({ stateFiles: [] })).toThrow(/stateFiles must be a non-empty list/);
    expect(() => k.parse({ stateFiles: 'ops.log' })).toThrow(/stateFiles must be a non-empty list/);
    expect(() => k.parse({ stateFiles: ['../x.log'] })).toThrow(/inside the instance’s STATE_DIR/);
    expect(k.parse({ stateFiles: ['ops.log'] })).toEqual({ maxLines: 200, stateFiles: ['ops.log'] });
  });

  it('fails when there is no output folder or the credentials are unreadable', async () => {
    const recorder = memoryRecorder();
    await expect(
      k.inject(testContext({ recorder, target: () => control(child.pid as number, undefined) }), { instance: 'bot-1', occurrence: 'f2' }, k.parse({})),
    ).rejects.toThrow(/output folder/);
    await expect(
      k.inject(testContext({ recorder, target: () => control(2 ** 22 + 999, dir) }), { instance: 'bot-1', occurrence: 'f3' }, k.parse({})),
    ).rejects.toThrow(/credentials/);
  });
});
