import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * oversized-decision-file-rss through the real CLI: a 48 MiB decision file appears in refbot's
 * STATE_DIR. With only decision-file-read-whole refbot reads and keeps it whole and its sampled RSS
 * jumps (000_2ae31cbfe79758d1.txt#E-L3); hardened stats it first, rejects it unread and stays flat.
 */
const FINDING = '000_2ae31cbfe79758d1.txt#E-L3';
const CHECK = 'bounded-resources';
const SEED = 23;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-oversized-decision-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'oversized-decision-file-rss', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
const decisionProbes = (r: Awaited<ReturnType<typeof run>>) => r.events.filter((e) => e.type === 'probe' && e.data.probe === 'decision');

describe(`oversized-decision-file-rss on refbot (${FINDING})`, () => {
  it('with only decision-file-read-whole the RSS jumps once the file is there', async () => {
    const r = await run('decision-file-read-whole');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const rss = check.violations.filter((v) => /RSS grew/.test(v.message));
    expect(rss).toHaveLength(1);
    expect(check.violations.filter((v) => /fds grew|threads grew/.test(v.message))).toEqual([]);
    const [peak, base] = evidenceEvents(r, check);
    expect([peak?.type, base?.type]).toEqual(['resources', 'resources']);
    expect((peak?.data.rssKb as number) - (base?.data.rssKb as number)).toBeGreaterThan(48 * 1024);
    // The growth came after the file was written, and the bot loaded it (accepted, all 48 MiB).
    const written = r.events.find((e) => e.src === 'fault' && e.type === 'input-file.written');
    expect(written?.data.bytes).toBe(48 * 1024 * 1024);
    expect(written?.seq).toBeLessThan(peak?.seq as number);
    expect(base?.seq).toBeLessThan(written?.seq as number);
    expect(decisionProbes(r).map((e) => [e.data.accepted, e.data.bytes])).toEqual([[true, 48 * 1024 * 1024]]);
  });

  it('hardened rejects the file unread and its RSS stays within the bound', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.series).toBe(1);
    expect(check.stats.samples).toBeGreaterThanOrEqual(10);
    expect(check.stats.maxRssGrowthPct).toBeLessThan(25);
    // Not vacuous: the file was there and the bot saw it, and said no.
    expect(r.events.some((e) => e.src === 'fault' && e.type === 'input-file.written')).toBe(true);
    expect(decisionProbes(r).map((e) => [e.data.accepted, e.data.bytes])).toEqual([[false, 48 * 1024 * 1024]]);
  });
});
