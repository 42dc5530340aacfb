import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, leftovers, ROOT, runArgs, runCli } from './cli-run.ts';
import { dockerLeftovers, requireDocker, runIdOf } from './containers-docker.ts';

/**
 * Paper and testnet never reach production (001_0474a2fd1532b929.txt#C1, #H1, #M11), through the
 * CLI on the containers runtime, whose egress guard resolves every name to a sinkhole: nothing
 * leaves the machine. Each flaw alone makes refbot connect to fapi.binance.com (caught by the
 * sinkhole, no-production-egress violated, config-fails-fast violated: it neither exits nor comes
 * up); hardened refuses at start, naming what is wrong, and no connection leaves the run. On the
 * local runtime, which has no guard, the scenarios are not applicable.
 */
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-containers-paper-'));
const runIds: string[] = [];
beforeAll(() => requireDocker());
afterAll(() => {
  rmSync(reportsDir, { recursive: true, force: true });
  for (const id of runIds) expect(dockerLeftovers(`faultline.run=${id}`)).toEqual([]);
  expect(dockerLeftovers('faultline.managed=run')).toEqual([]);
});

async function run(scenario: string, opts: { profile?: string; flaws?: string; runtime?: 'local' | 'containers' }) {
  const r = await runCli(
    runArgs({
      scenario,
      profile: opts.profile ?? 'hardened',
      seed: 77,
      reportsDir,
      runtime: opts.runtime ?? 'containers',
      ...(opts.flaws ? { flaws: opts.flaws } : {}),
    }),
  );
  if (opts.runtime === 'local') return { ...r, summary: undefined, events: [] };
  const a = artifacts(reportsDir, r);
  runIds.push(runIdOf(a.events));
  return { ...r, ...a };
}

describe('paper / testnet never reach production, containers runtime', () => {
  it.each([
    ['paper-mode-default-venue-no-egress', 'paper-defaults-to-production', '001_0474a2fd1532b929.txt#C1'],
    ['paper-mode-production-url-fails-fast', 'mode-url-unchecked', '001_0474a2fd1532b929.txt#H1'],
    ['testnet-mode-production-url-fails-fast', 'mode-url-unchecked', '001_0474a2fd1532b929.txt#M11'],
  ])('%s: flaw %s alone connects to production, caught by the sinkhole', async (scenario, flaw, finding) => {
    const r = await run(scenario, { flaws: flaw });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const sc = r.summary?.scenarios[0];
    const egress = sc?.checks.find((c) => c.name === 'no-production-egress');
    expect(egress?.valid).toBe(false);
    expect(egress?.findings).toContain(finding);
    const attempt = r.events.find((e) => e.seq === egress?.violations[0]?.evidence[0]);
    expect(attempt?.type).toBe('egress.attempt');
    expect(String(attempt?.data.sni ?? attempt?.data.host)).toBe('fapi.binance.com');
    // Where the scenario also asks for a refusal (M11, H1), the flawed bot neither refused nor came up.
    const failFast = sc?.checks.find((c) => c.name === 'config-fails-fast');
    if (scenario !== 'paper-mode-default-venue-no-egress') expect(failFast?.valid).toBe(false);
    else expect(failFast).toBeUndefined();
    expect(sc?.checks.filter((c) => c.valid === false).every((c) => c.findings.includes(finding))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened refuses a testnet run with production URLs at start, naming them, and nothing leaves the run', async () => {
    const r = await run('testnet-mode-production-url-fails-fast', {});
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const sc = r.summary?.scenarios[0];
    expect(sc?.checks.map((c) => [c.name, c.valid])).toEqual([
      ['no-production-egress', true],
      ['config-fails-fast', true],
    ]);
    const outcome = r.events.find((e) => e.type === 'startup.outcome');
    expect(String(outcome?.data.stderrTail)).toMatch(/REFBOT_MODE=testnet with a production venue URL VENUE_REST_URL=https:\/\/fapi\.binance\.com/);
    expect(r.events.some((e) => e.type === 'egress.attempt')).toBe(false);
  });

  it('is not applicable on the local runtime, which has no egress guard', async () => {
    const r = await run('paper-mode-production-url-fails-fast', { runtime: 'local', flaws: 'mode-url-unchecked' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot take part in scenario paper-mode-production-url-fails-fast: .* needs egress-guard/);
  });
});
