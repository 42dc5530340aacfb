import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * alert-file-unwritable-alerts-kept through the real CLI: refbot's alert file is a directory for
 * 4 s while the kill switch raises a halt alert (000_2ae31cbfe79758d1.txt#E-L6). With
 * alert-write-error-drops-pending the alert is dropped without a word; hardened keeps it pending and
 * writes it once the file is back.
 */
const SEED = 31;
const CHECK = 'alerts-survive-sink-outage';
const FINDING = '000_2ae31cbfe79758d1.txt#E-L6';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-alert-file-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'alert-file-unwritable-alerts-kept', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const alertsFile = (runDir: string) => readFileSync(join(runDir, 'alert-file-unwritable-alerts-kept', 'bot-1', 'state', 'refbot-alerts.jsonl'), 'utf8');

describe(`alert-file-unwritable-alerts-kept on refbot (${FINDING})`, () => {
  it('alert-write-error-drops-pending: the halt alert raised during the outage is gone, and nothing says so', async () => {
    const r = await run('alert-write-error-drops-pending');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [alert, outage, scan] = evidenceEvents(r, check);
    expect(alert?.data).toMatchObject({ probe: 'alert', kind: 'halt' });
    expect(outage?.type).toBe('file.unwritable');
    expect(scan?.type).toBe('output.scan');
    expect(alertsFile(r.runDir)).not.toContain(String(alert?.data.text));
  });

  it('hardened: the alert waits and is written once the file is back, and the operator log says the file was unwritable', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // Not vacuous: an alert was raised inside the outage, and the file was really unwritable then.
    expect(check.stats.alertsAtRisk).toBeGreaterThanOrEqual(1);
    expect(check.stats.kept).toBe(check.stats.alertsAtRisk);
    const halt = r.events.find((e) => e.type === 'probe' && e.data.probe === 'alert' && e.data.kind === 'halt');
    const lines = alertsFile(r.runDir)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; text: string });
    expect(lines.map((l) => l.kind)).toContain('halt');
    expect(lines.find((l) => l.kind === 'halt')?.text).toBe(halt?.data.text);
    const ops = readFileSync(join(r.runDir, 'alert-file-unwritable-alerts-kept', 'bot-1', 'state', 'refbot-ops.log'), 'utf8');
    expect(ops).toMatch(/alert file .*refbot-alerts\.jsonl unwritable \(\[Errno 21\] Is a directory/);
  });
});
