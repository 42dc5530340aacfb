import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'harness/cli/faultline.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('faultline CLI', () => {
  it('lists scenarios and targets', () => {
    const r = cli('list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ws-disconnect-stale-prices/);
    expect(r.stdout).toMatch(/000_2ae31cbfe79758d1\.txt#S-C2/);
    expect(r.stdout).toMatch(/refbot/);
    const json = JSON.parse(cli('list', '--json').stdout) as { scenarios: { id: string }[]; targets: { name: string }[] };
    expect(json.scenarios.map((s) => s.id)).toContain('ws-disconnect-stale-prices');
    expect(json.targets.map((t) => t.name)).toContain('refbot');
  });

  it.each([
    [['run', 'no-such-scenario', '--target', 'refbot'], /unknown scenario or suite "no-such-scenario"/],
    [['run', 'ws-disconnect-stale-prices', '--target', 'no-such-bot'], /unknown target "no-such-bot"/],
    [['run', 'ws-disconnect-stale-prices', '--target', 'refbot', '--target-opt', 'profile=reckless'], /profile=reckless is not one of/],
    [['run', 'ws-disconnect-stale-prices', '--target', 'refbot', '--target-opt', 'nope=1'], /has no option "nope"/],
    [['run', 'ws-disconnect-stale-prices'], /needs --target/],
  ])('exits 2 with a one-line message and no stack for %j', (args, msg) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toMatch(/^\[faultline\] /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a run in which the target can take part in no scenario, naming what it lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-target-'));
    try {
      const manifest = { name: 'wsonly', start: { command: ['true'] }, ready: { probe: 'ready' }, capabilities: ['ws-market'], options: {} };
      writeFileSync(join(dir, 'faultline.json'), JSON.stringify(manifest));
      const r = cli('run', 'rest-ack-lost-duplicate-orders', '--target', dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/target wsonly cannot take part in scenario rest-ack-lost-duplicate-orders: rest-ack-lost-duplicate-orders needs rest-orders/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints help and version', () => {
    expect(cli('--help').stdout).toMatch(/Exit codes:/);
    expect(cli('help', 'run').stdout).toMatch(/--target-opt/);
    expect(cli('--version').stdout).toMatch(/^faultline \d+\.\d+\.\d+/);
  });
});
