import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, leftovers, ROOT, runArgs, runCli } from './cli-run.ts';
import { dockerLeftovers, requireDocker, runIdOf } from './containers-docker.ts';

/**
 * Runtime parity: the S-C2 scenario gives the same verdicts on the containers runtime as on the
 * local one (naive fails with evidence, hardened passes and is not vacuous), with the bot in a
 * container on an internal network, and nothing of either run left in Docker afterwards.
 */
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-containers-ws-'));
const runIds: string[] = [];
beforeAll(() => requireDocker());
afterAll(() => {
  rmSync(reportsDir, { recursive: true, force: true });
  for (const id of runIds) expect(dockerLeftovers(`faultline.run=${id}`)).toEqual([]);
  // No container or network of any Faultline run is left on the engine.
  expect(dockerLeftovers('faultline.managed=run')).toEqual([]);
});

async function runProfile(profile: string) {
  const r = await runCli(runArgs({ scenario: 'ws-disconnect-stale-prices', profile, seed: 4242, reportsDir, runtime: 'containers' }));
  const a = artifacts(reportsDir, r);
  runIds.push(runIdOf(a.events));
  return { ...r, ...a };
}

describe('ws-disconnect-stale-prices on refbot, containers runtime', () => {
  it('naive profile violates the invariant, the bot having run in a container', async () => {
    const r = await runProfile('naive');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.summary.runtime).toBe('containers');
    const check = r.summary.scenarios[0]?.checks.find((c) => c.name === 'no-risk-on-stale-market-data');
    expect(check?.valid).toBe(false);
    expect(check?.violations.length).toBeGreaterThan(0);
    const start = r.events.find((e) => e.type === 'target.start');
    expect(String(start?.data.container)).toMatch(/^faultline-.*-bot-1-1$/);
    // Every link the bot was given is a Toxiproxy address on the run's network.
    const links = r.events.filter((e) => e.type === 'link.create').map((e) => String(e.data.listen));
    expect(links.length).toBe(3);
    for (const l of links) expect(l).toMatch(/^toxiproxy:\d+$/);
    expect(r.events.some((e) => e.type === 'probe' && e.data.priceSource === 'entry-fallback')).toBe(true);
    // Resource samples come from the container.
    const res = r.events.filter((e) => e.type === 'resources');
    expect(res.length).toBeGreaterThan(5);
    expect(Math.max(...res.map((e) => Number(e.data.rssKb)))).toBeGreaterThan(10_000);
    expect(leftovers(r.events)).toEqual([]);
    expect(dockerLeftovers(`faultline.run=${runIdOf(r.events)}`)).toEqual([]);
  });

  it('hardened profile keeps the invariant and is not vacuous', async () => {
    const r = await runProfile('hardened');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = r.summary.scenarios[0]?.checks[0];
    expect(check?.valid).toBe(true);
    expect(check?.stats.riskIncreasing).toBeGreaterThan(0);
    expect(check?.stats.staleWindows).toBeGreaterThanOrEqual(1);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'skip')).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
    expect(dockerLeftovers(`faultline.run=${runIdOf(r.events)}`)).toEqual([]);
  });
});
