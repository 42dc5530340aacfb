import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = resolve(import.meta.dirname);

/** refbot's own pytest suite (unit + live tests against its fake venue), run from `npm test`. */
describe('refbot (pytest)', () => {
  it('builds its venv and passes its own tests', () => {
    const build = spawnSync('bash', ['build.sh'], { cwd: DIR, encoding: 'utf8', timeout: 300_000 });
    expect(build.status, build.stderr).toBe(0);
    const r = spawnSync('.venv/bin/python', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], { cwd: DIR, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    // pytest prints "N passed"; a suite that collected nothing must not count as green.
    expect(r.stdout).toMatch(/\b[1-9]\d* passed\b/);
    expect(r.stdout).not.toMatch(/\bfailed\b|\berror\b/);
  }, 300_000);
});
