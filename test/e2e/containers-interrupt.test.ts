import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHistory } from '../../harness/history/reader.ts';
import { sweepContainers } from '../../harness/runtimes/containers/sweep.ts';
import { artifacts, leftovers, ROOT, runArgs, startCli } from './cli-run.ts';
import { dockerLeftovers, requireDocker, runIdOf } from './containers-docker.ts';

/** Nothing outlives a containers run: not after Ctrl-C, and not after the harness is SIGKILLed (the next sweep). */
const dirs: string[] = [];
beforeAll(() => requireDocker());
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  expect(dockerLeftovers('faultline.managed=run')).toEqual([]);
});

async function startToFault(tag: string) {
  const reportsDir = mkdtempSync(join(ROOT, 'reports', `.e2e-containers-${tag}-`));
  dirs.push(reportsDir);
  const cli = startCli(runArgs({ scenario: 'ws-disconnect-stale-prices', profile: 'naive', seed: 7, reportsDir, runtime: 'containers' }));
  const history = join(reportsDir, 'latest', 'history.jsonl');
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the run to reach the fault');
    if (existsSync(history) && parseHistory(readFileSync(history, 'utf8')).events.some((e) => e.type === 'fault.start')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...cli, reportsDir, history };
}

describe('interrupting a containers run', () => {
  it('SIGINT mid-fault tears down every container and network of the run', async () => {
    const { child, done, reportsDir } = await startToFault('sigint');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    const a = artifacts(reportsDir, r);
    expect(a.summary.interrupted).toBe('SIGINT');
    expect(a.events.some((e) => e.type === 'fault.end' && e.data.healedBy === 'teardown')).toBe(true);
    expect(a.events.some((e) => e.type === 'network.remove')).toBe(true);
    expect(leftovers(a.events)).toEqual([]);
    expect(dockerLeftovers(`faultline.run=${runIdOf(a.events)}`)).toEqual([]);
  });

  it('a SIGKILLed harness leaves labelled containers that the next sweep removes', async () => {
    const { child, done, history } = await startToFault('sigkill');
    child.kill('SIGKILL');
    await done;
    const runId = runIdOf(parseHistory(readFileSync(history, 'utf8')).events);
    const left = dockerLeftovers(`faultline.run=${runId}`);
    // The bot, its netguard, Redis, Toxiproxy, the sinkhole and the network, all still there...
    expect(left.filter((l) => l.startsWith('container ')).length).toBeGreaterThanOrEqual(5);
    // ...until a later harness sweeps them: their owner is dead.
    const swept = await sweepContainers();
    expect(swept.containers.length).toBeGreaterThanOrEqual(5);
    expect(swept.networks).toEqual([`faultline-${runId}`]);
    expect(dockerLeftovers(`faultline.run=${runId}`)).toEqual([]);
  });
});
