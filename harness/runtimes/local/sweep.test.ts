import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBinary } from './binaries.ts';
import { registerPid } from './pid-registry.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { HARNESS_PID_ENV, sweepOrphans, TEMP_PREFIX } from './sweep.ts';

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
}

describe('sweepOrphans', () => {
  it('kills an orphaned redis-server (which rewrites its environment) through the pid registry, and removes the temp folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}sweep-test-`));
    writeFileSync(join(dir, 'harness.pid'), `${deadPid()}\n`);
    const redis = await ManagedProcess.start({
      name: 'redis-server',
      command: findBinary('redis-server', resolve(import.meta.dirname, '../../..'), 'FAULTLINE_REDIS_SERVER'),
      args: ['--port', String(await freePort()), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', [HARNESS_PID_ENV]: '999999999' },
    });
    registerPid(dir, redis.pid, 'redis-server');
    await new Promise((r) => setTimeout(r, 300));
    // The variable is gone from its environment: only the registry can find it.
    expect(readFileSync(`/proc/${redis.pid}/environ`, 'latin1')).not.toContain(HARNESS_PID_ENV);
    const swept = sweepOrphans();
    expect(swept.killed).toContain(redis.pid);
    expect(swept.removedDirs).toContain(dir);
    expect((await redis.exited).signal).toBe('SIGKILL');
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves the processes and folder of a live harness alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}sweep-live-`));
    writeFileSync(join(dir, 'harness.pid'), `${process.ppid}\n`);
    const p = await ManagedProcess.start({ name: 'sleeper', command: 'sleep', args: ['30'], cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    registerPid(dir, p.pid, 'sleeper');
    const swept = sweepOrphans();
    expect(swept.killed).not.toContain(p.pid);
    expect(existsSync(dir)).toBe(true);
    await p.stop('SIGKILL', 0);
    rmSync(dir, { recursive: true, force: true });
  });
});
