import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * stderr-closed-failure-reported through the real CLI: the harness closes refbot's stderr pipe at
 * 4 s (000_2ae31cbfe79758d1.txt#E-H2). With terminal-write-failures-silent the failed writes are
 * swallowed and its operator log says nothing; hardened warns there and keeps INFO there.
 */
const SEED = 29;
const CHECK = 'output-failures-reported';
const FINDING = '000_2ae31cbfe79758d1.txt#E-H2';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-stderr-closed-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'stderr-closed-failure-reported', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`stderr-closed-failure-reported on refbot (${FINDING})`, () => {
  it('terminal-write-failures-silent: the terminal is gone and nothing says so', async () => {
    const r = await run('terminal-write-failures-silent');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations[0]?.message).toMatch(/stderr pipe was closed at .* and nothing said so/);
    const [scan, closed] = evidenceEvents(r, check);
    expect(scan?.type).toBe('output.scan');
    expect(closed?.type).toBe('output.closed');
    expect(closed?.data.lastWriteAgoMs).toBeLessThan(10_000);
  });

  it('hardened: survives, warns in its operator log, which keeps INFO lines after the close', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.reported).toBe(1);
    const report = r.events.find((e) => e.type === 'output.line' && e.data.file === 'state/refbot-ops.log');
    expect(String(report?.data.text)).toMatch(/terminal log output failed on stderr \(BrokenPipeError/);
    // Not vacuous: the bot kept trading after the close, and its orders were logged where they can be read.
    const closedAt = r.events.find((e) => e.type === 'output.closed')?.t ?? Number.POSITIVE_INFINITY;
    expect(r.events.filter((e) => e.type === 'order.new' && e.t > closedAt).length).toBeGreaterThan(3);
    const ops = readFileSync(join(r.runDir, 'stderr-closed-failure-reported', 'bot-1', 'state', 'refbot-ops.log'), 'utf8');
    expect(ops).toMatch(/INFO refbot\.strategy: order /);
    // A clean exit: the interpreter's last flush to the dead pipe did not turn it into exit 120.
    expect(r.events.find((e) => e.type === 'target.exit')?.data.code).toBe(0);
  });
});
