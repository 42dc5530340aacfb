import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli-run.ts';

/**
 * `faultline repro` on the issue's own example: the naive refbot reproduces
 * 000_2ae31cbfe79758d1.txt#S-C2, and the one-line command it prints reproduces it again, exactly
 * (same seed, target options and runtime), when pasted into a shell.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#S-C2';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-repro-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

function verdictBlock(stdout: string): { seed: string; violated: string[]; again: string } {
  const again = /^repro again: (.+)$/m.exec(stdout)?.[1] ?? '';
  return {
    again,
    seed: /--seed (\d+)/.exec(again)?.[1] ?? '',
    violated: [...stdout.matchAll(/^ {2}VIOLATED (\S+)/gm)].map((m) => m[1] as string),
  };
}

describe(`faultline repro ${FINDING}`, () => {
  it('reproduces the violation with evidence, and its printed command reproduces it again', async () => {
    const first = await runCli(['repro', FINDING, '--target', 'refbot', '--target-opt', 'profile=naive', '--reports-dir', reportsDir]);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(1);
    expect(first.stdout).toContain(`repro ${FINDING}: REPRODUCED`);
    const a = verdictBlock(first.stdout);
    expect(a.violated).toContain('no-risk-on-stale-market-data');
    // Evidence is printed as the recorded events: the offending order first.
    expect(first.stdout).toMatch(/violation at [\d.]+s \[bot-1\]: .*\n {6}#\d+ t=[\d.]+s venue order\.new \[bot-1\] \{"orderId"/);
    // Fixed seed: derived from the finding id, so the command is the same every time.
    expect(a.again).toBe(
      `npx faultline repro '${FINDING}' --target refbot --target-opt profile=naive --seed ${a.seed} --runtime local --reports-dir ${reportsDir}`,
    );

    const second = spawnSync('bash', ['-c', a.again], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    expect(second.status, `${second.stdout}\n${second.stderr}`).toBe(1);
    expect(second.stdout).toContain(`repro ${FINDING}: REPRODUCED`);
    const b = verdictBlock(second.stdout);
    expect(b.seed).toBe(a.seed);
    expect(b.violated).toEqual(a.violated);
    expect(b.again).toBe(a.again);
  });

  it('refuses an unknown, untestable or uncovered finding with exit 2 and a reason', async () => {
    const unknown = await runCli(['repro', '000_2ae31cbfe79758d1.txt#NOPE', '--target', 'refbot']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown finding .*\n.*did you mean: 000_2ae31cbfe79758d1\.txt#/);
    const untestable = await runCli(['repro', '000_2ae31cbfe79758d1.txt#E-C1', '--target', 'refbot']);
    expect(untestable.code).toBe(2);
    expect(untestable.stderr).toContain('is not externally testable');
    const noTarget = await runCli(['repro', FINDING]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('repro needs --target');
  });
});
