import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifacts, leftovers, ROOT, runArgs, startCli, waitForHistoryEvent } from './cli-run.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('interrupting a run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-scenario tears everything down and keeps the history', async (sig) => {
    // A folder per case: a previous run's `latest` must not be mistaken for this one's.
    const reportsDir = mkdtempSync(join(ROOT, 'reports', `.e2e-interrupt-${sig}-`));
    dirs.push(reportsDir);
    const { child, done } = startCli(runArgs({ scenario: 'ws-disconnect-stale-prices', profile: 'naive', seed: 7, reportsDir }));
    // Interrupt while the fault is active: the proxy is disabled and the bot is running.
    await waitForHistoryEvent(reportsDir, 'fault.start', 60_000);
    child.kill(sig);
    const r = await done;
    expect(r.code, r.stderr).toBe(sig === 'SIGINT' ? 130 : 143);
    expect(r.stderr).toMatch(new RegExp(`${sig}: tearing down`));
    const a = artifacts(reportsDir, r);
    expect(a.summary.interrupted).toBe(sig);
    expect(a.summary.scenarios[0]?.interrupted).toBe(sig);
    expect(a.summary.scenarios[0]?.verdict).not.toBe('pass');
    expect(a.events.at(-1)?.type).toBe('run.end');
    // The active fault was healed by teardown before the proxy was removed.
    expect(a.events.some((e) => e.type === 'fault.end' && (e.data as { healedBy?: string }).healedBy === 'teardown')).toBe(true);
    expect(a.events.some((e) => e.type === 'target.exit')).toBe(true);
    expect(leftovers(a.events)).toEqual([]);
  });
});
