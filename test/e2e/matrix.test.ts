import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatrixResult } from '../../harness/matrix/table.ts';
import { ROOT, runCli } from './cli-run.ts';

/**
 * The mutation matrix on a smoke subset of refbot's flaws (the full matrix is `npm run matrix`):
 * each flaw alone is caught by the check citing its finding, no other check fails, and the
 * flaw-free bot passes the same scenarios.
 */
const FLAWS = ['blind-retry-on-timeout', 'reset-clock-offset-on-error'];
const out = mkdtempSync(join(ROOT, 'reports', '.e2e-matrix-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('faultline matrix (smoke subset)', () => {
  it('detects each flaw with its mapped check and passes the flaw-free bot', async () => {
    const r = await runCli(['matrix', '--target', 'refbot', '--flaws', FLAWS.join(','), '--reps', '1', '--jobs', '2', '--seed', '11', '--out', out]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')) as MatrixResult;
    expect(m.rows.map((row) => row.flaw)).toEqual(FLAWS);
    expect(m.rows.map((row) => row.expected)).toEqual([
      ['rest-ack-lost-duplicate-orders/one-order-per-intent'],
      ['venue-clock-skew-fails-closed/clock-skew-fails-closed'],
    ]);
    for (const row of m.rows) expect(row.cells.map((c) => c.verdict)).toEqual(['detected']);
    expect(m.hardened.cells.map((c) => c.verdict)).toEqual(['pass']);
    expect(m.totals).toMatchObject({ flaws: 2, detected: 2, falseAlarms: 0, flaky: 0, undetected: [] });
    // Every cell points at a real run folder with its own reports.
    for (const c of [...m.rows.flatMap((row) => row.cells), ...m.hardened.cells]) expect(existsSync(join(c.runDir ?? '', 'summary.json'))).toBe(true);
    const md = readFileSync(join(out, 'matrix.md'), 'utf8');
    expect(md).toContain('| blind-retry-on-timeout | 003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry |');
    expect(md).toContain('**Detection:** 2/2');
    expect(r.stdout).toContain('detection 2/2 · false alarms 0 · flaky 0 · hardened pass');
  });

  it('refuses bad input with exit 2', async () => {
    const bad = await runCli(['matrix', '--target', 'refbot', '--flaws', 'no-such-flaw']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has no flaw "no-such-flaw"');
    const setsFlaws = await runCli(['matrix', '--target', 'refbot', '--target-opt', 'flaws=none']);
    expect(setsFlaws.code).toBe(2);
    expect(setsFlaws.stderr).toContain('set by the matrix itself');
  });
});
