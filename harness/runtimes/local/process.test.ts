import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedProcess } from './process.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'faultline-process-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function spec(dir: string, script: string, onStdoutLine?: (l: string) => void) {
  return {
    name: 'writer',
    command: 'sh',
    args: ['-c', script],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdoutFile: join(dir, 'stdout.log'),
    stderrFile: join(dir, 'stderr.log'),
    ...(onStdoutLine ? { onStdoutLine } : {}),
  };
}

describe('ManagedProcess logs', () => {
  // The log files used to be ended at 'exit'. Output still in the pipes then either went missing
  // (the second test fails on that code: ~1,900 of 2,000 lines) or arrived as a write after end, an
  // unhandled error that killed a whole matrix run.
  it('survives writers in its group that the exit cuts off', async () => {
    const dir = tempDir();
    const p = await ManagedProcess.start(spec(dir, '(yes stderr-line | head -c 3000000 >&2) & (yes stdout-line | head -c 3000000) & sleep 0.05; exit 3'));
    const exit = await p.exited;
    expect(exit.code).toBe(3);
    expect(readFileSync(join(dir, 'stderr.log'), 'utf8')).toMatch(/^stderr-line\n/);
    expect(readFileSync(join(dir, 'stdout.log'), 'utf8')).toMatch(/^stdout-line\n/);
  });

  it('has every line in the log once exited resolves, also with a line listener', async () => {
    const dir = tempDir();
    const seen: string[] = [];
    const p = await ManagedProcess.start(spec(dir, 'i=0; while [ $i -lt 2000 ]; do echo "line $i"; echo "err $i" >&2; i=$((i+1)); done', (l) => seen.push(l)));
    await p.exited;
    const out = readFileSync(join(dir, 'stdout.log'), 'utf8').trimEnd().split('\n');
    expect(out).toHaveLength(2000);
    expect(out.at(-1)).toBe('line 1999');
    expect(readFileSync(join(dir, 'stderr.log'), 'utf8').trimEnd().split('\n').at(-1)).toBe('err 1999');
    expect(seen.at(-1)).toBe('line 1999');
  });
});
