import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../runtimes/local/process.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fl-pipe-close-'));
const procs: ManagedProcess[] = [];
afterAll(async () => {
  for (const p of procs) await p.stop('SIGKILL', 0);
  rmSync(dir, { recursive: true, force: true });
});

/** Writes "tick" to stderr every 50 ms; says on stdout what each write did. */
const WRITER = (sigpipe: boolean) =>
  [
    'import signal, sys, time',
    sigpipe ? 'signal.signal(signal.SIGPIPE, signal.SIG_DFL)' : '',
    'while True:',
    '    try:',
    '        sys.stderr.write("tick\\n"); sys.stderr.flush(); print("ok", flush=True)',
    '    except BrokenPipeError:',
    '        print("epipe", flush=True)',
    '    time.sleep(0.05)',
  ].join('\n');

async function start(sigpipe: boolean, sub: string) {
  const lines: string[] = [];
  const logDir = join(dir, sub);
  mkdirSync(logDir);
  const p = await ManagedProcess.start({
    name: 'pipe target',
    command: 'python3',
    args: ['-c', WRITER(sigpipe)],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    onStdoutLine: (l) => lines.push(l),
    stderrFile: join(logDir, 'stderr.log'),
    stdoutFile: join(logDir, 'stdout.log'),
  });
  procs.push(p);
  const control: TargetControl = {
    instance: 'bot-1',
    pid: p.pid,
    get running() {
      return p.running;
    },
    stateDir: dir,
    logDir,
    signal: (s) => p.signal(s),
    closeOutput: (s) => p.closeOutput(s),
    restart: async () => {},
  };
  return { p, lines, control, logDir };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('output-pipe-close', () => {
  const k = faultKind('output-pipe-close');

  it('parses stream (default stderr) and rejects anything else', () => {
    expect(k.parse({})).toEqual({ stream: 'stderr' });
    expect(k.parse({ stream: 'stdout' })).toEqual({ stream: 'stdout' });
    expect(() => k.parse({ stream: 'fd3' })).toThrow(/stream must be "stdout" or "stderr"/);
    expect(() => k.parse({ durationMs: 10 })).toThrow(/unknown parameter/);
    expect(k.instant).toBe(true);
  });

  it('makes the process’s next stderr write fail with EPIPE, records what it had written, and notes it in the log', async () => {
    const { lines, control, logDir } = await start(false, 'epipe');
    const log = () => (existsSync(join(logDir, 'stderr.log')) ? readFileSync(join(logDir, 'stderr.log'), 'utf8') : '');
    // The harness has read at least what its log file holds: wait for three ticks there, not on stdout (another pipe).
    await until(() => log().length >= 15);
    const recorder = memoryRecorder();
    await k.inject(testContext({ recorder, target: () => control }), { instance: 'bot-1', occurrence: 'f1' }, k.parse({}));
    await until(() => lines.includes('epipe'));
    const closed = recorder.events.find((e) => e.type === 'output.closed');
    expect(closed?.data).toMatchObject({ id: 'f1', stream: 'stderr', pid: control.pid });
    expect(closed?.data.bytesBefore).toBeGreaterThanOrEqual(15);
    expect(closed?.data.lastWriteAgoMs).toBeLessThan(2000);
    expect(control.running).toBe(true);
    await until(() => log().includes('[faultline: stderr pipe closed'));
    expect(log()).toMatch(/tick\n(tick\n)*\[faultline: stderr pipe closed by the harness at .*\]\n$/);
  });

  it('kills a process that does not ignore SIGPIPE, as a Go or C bot writing to its terminal', async () => {
    const { p, lines, control } = await start(true, 'sigpipe');
    await until(() => lines.includes('ok'));
    await k.inject(testContext({ recorder: memoryRecorder(), target: () => control }), { instance: 'bot-1', occurrence: 'f1' }, k.parse({}));
    expect((await p.exited).signal).toBe('SIGPIPE');
  });

  it('fails when the runtime cannot close pipes or the instance is down', async () => {
    const ctl = { instance: 'bot-1', pid: 1, running: true, stateDir: dir, signal: () => {}, restart: async () => {} };
    const ctx = testContext({ recorder: memoryRecorder(), target: () => ctl });
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({}))).rejects.toThrow(/capability output-pipes/);
    const down = testContext({ recorder: memoryRecorder(), target: () => ({ ...ctl, running: false }) });
    await expect(k.inject(down, { instance: 'bot-1', occurrence: 'f1' }, k.parse({}))).rejects.toThrow(/not running/);
  });
});
