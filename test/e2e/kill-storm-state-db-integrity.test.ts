import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { expectCheckPasses } from './verdicts.ts';

/**
 * kill-storm-state-db-integrity through the real CLI on hardened refbot: three SIGKILLs while it
 * trades, then PRAGMA integrity_check on its SQLite journal (004_8a8a9a4995486b8f.txt#C-INFRA-02).
 * refbot has no flaw that corrupts SQLite (its journal is WAL, one connection per thread): the
 * failing side is proven by the unit tests of sqlite-integrity (a damaged file) and
 * crash-consistent-state; here the inspection must run on the real file and find it sound.
 */
const SEED = 48;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-kill-storm-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe('kill-storm-state-db-integrity on refbot (004_8a8a9a4995486b8f.txt#C-INFRA-02)', () => {
  it('hardened: three restarts, a sound state DB, no reused ids, reconciled before trading', async () => {
    const r = await runScenario({ scenario: 'kill-storm-state-db-integrity', profile: 'hardened', seed: SEED, reportsDir });
    const check = expectCheckPasses(r, 'crash-consistent-state');
    expect(check.stats).toMatchObject({ restarts: 3, reusedIds: 0, unreconciledOrders: 0, integrityChecks: 1, integrityFailures: 0 });
    expect(check.stats.ordersAfterRestart).toBeGreaterThan(0);
    const inspected = r.events.find((e) => e.type === 'integrity.checked');
    expect(inspected?.data).toMatchObject({ file: 'refbot-journal.sqlite', exists: true, ok: true, result: ['ok'] });
  });
});
