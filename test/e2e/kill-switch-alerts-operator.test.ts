import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * kill-switch-alerts-operator through the real CLI: the operator's kill file halts refbot. With
 * halt-alert-lost the halt's alert dies in the kill switch's sender thread
 * (001_0474a2fd1532b929.txt#H4); hardened delivers it as an alert probe.
 */
const FINDING = '001_0474a2fd1532b929.txt#H4';
const SEED = 19;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-halt-alert-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'kill-switch-alerts-operator', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const alerts = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'probe' && e.data.probe === 'alert');

describe(`kill-switch-alerts-operator on refbot (${FINDING})`, () => {
  it('halt-alert-lost halts on the kill file but never alerts', async () => {
    const r = await run('halt-alert-lost');
    const check = expectOnlyCheckFails(r, 'halt-alerts-operator', FINDING);
    const [halt, cause] = evidenceEvents(r, check);
    expect(halt?.data).toMatchObject({ probe: 'halt', reason: 'kill-file' });
    expect(cause?.type).toBe('kill-file.written');
    // The alert sink works (lifecycle alerts arrive); only the halt's alert is lost.
    expect(alerts(r).length).toBeGreaterThan(0);
    expect(alerts(r).some((a) => a.data.kind === 'halt')).toBe(false);
  });

  it('hardened alerts the halt within 2 s', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'halt-alerts-operator');
    expect(check.stats).toMatchObject({ halts: 1, alerted: 1 });
    const halt = r.events.find((e) => e.type === 'probe' && e.data.probe === 'halt');
    const alert = alerts(r).find((a) => a.data.kind === 'halt');
    expect(String(alert?.data.text)).toMatch(/^kill-file/);
    expect((alert?.t ?? Number.POSITIVE_INFINITY) - (halt?.t ?? 0)).toBeLessThan(2000);
  });
});
