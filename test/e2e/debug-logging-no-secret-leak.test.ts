import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * debug-logging-no-secret-leak through the real CLI: refbot at REFBOT_LOG_LEVEL=debug. With
 * debug-log-leaks-api-key its DEBUG request lines carry the API key (001_0474a2fd1532b929.txt#M10);
 * hardened logs the same requests with the key redacted.
 */
const FINDING = '001_0474a2fd1532b929.txt#M10';
const SEED = 23;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-secret-leak-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'debug-logging-no-secret-leak', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`debug-logging-no-secret-leak on refbot (${FINDING})`, () => {
  it('debug-log-leaks-api-key writes the API key into its debug log', async () => {
    const r = await run('debug-log-leaks-api-key');
    const check = expectOnlyCheckFails(r, 'no-secret-leak', FINDING);
    const [scan, start] = evidenceEvents(r, check);
    expect(scan?.type).toBe('output.scan');
    expect(start?.data).toMatchObject({ kind: 'target-output-scan' });
    const hits = scan?.data.hits as { file: string; secret: string; excerpt: string }[];
    expect(hits.length).toBe(check.violations.length);
    expect(hits[0]?.secret).toBe('api-key');
    expect(hits.every((h) => h.file === 'stderr.log' && h.excerpt.includes('DEBUG refbot.rest.debug: request '))).toBe(true);
    expect(hits.some((h) => h.excerpt.includes("'X-MBX-APIKEY': '<redacted:api-key>'"))).toBe(true);
  });

  it('hardened logs its requests at debug without the key', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'no-secret-leak');
    expect(check.stats).toMatchObject({ scans: 1, secretsKnown: 2, leakedLines: 0 });
    expect(check.stats.linesScanned).toBeGreaterThan(20);
    // Not vacuous: debug logging was on (request lines, key redacted by the bot itself) and the bot traded.
    const lines = r.events.filter((e) => e.type === 'output.line').map((e) => String(e.data.text));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes("'X-MBX-APIKEY': '<redacted>'"))).toBe(true);
    expect(r.events.some((e) => e.type === 'order.new')).toBe(true);
  });
});
