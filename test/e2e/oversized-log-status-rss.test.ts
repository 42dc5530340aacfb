import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * oversized-log-status-rss through the real CLI: refbot's operator log is 64 MiB while a dashboard
 * polls GET /status (which shows the log's last lines). With log-tail-reads-whole-file
 * (004_8a8a9a4995486b8f.txt#M-UI-01) every refresh reads and splits the whole file and the sampled
 * RSS jumps; hardened seeks to the end and stays flat.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#M-UI-01';
const CHECK = 'bounded-resources';
const SEED = 31;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-oversized-log-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'oversized-log-status-rss', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
type Run = Awaited<ReturnType<typeof run>>;
const statusAnswers = (r: Run, after: number) => r.events.filter((e) => e.type === 'health.answer' && e.data.path === '/status' && e.t > after);

describe(`oversized-log-status-rss on refbot (${FINDING})`, () => {
  it('log-tail-reads-whole-file: the RSS jumps while the dashboard polls', async () => {
    const r = await run('log-tail-reads-whole-file');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    const [peak, base] = evidenceEvents(r, check);
    expect([peak?.type, base?.type]).toEqual(['resources', 'resources']);
    expect((peak?.data.rssKb as number) - (base?.data.rssKb as number)).toBeGreaterThan(32 * 1024);
    const written = r.events.find((e) => e.type === 'input-file.written');
    expect(written?.seq).toBeLessThan(peak?.seq as number);
  });

  it('hardened reads a bounded tail and its RSS stays within the bound', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.maxRssGrowthPct).toBeLessThan(25);
    // Not vacuous: the log was there and the dashboard got the status, with its tail, all along.
    const written = r.events.find((e) => e.type === 'input-file.written');
    const answers = statusAnswers(r, written?.t as number);
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.every((e) => e.data.status === 200 || e.data.status === 429)).toBe(true);
    expect(answers.some((e) => String(e.data.body).includes('recentLog'))).toBe(true);
  });
});
