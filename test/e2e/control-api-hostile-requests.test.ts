import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * control-api-hostile-requests through the real CLI: the control-api-probe battery against refbot's
 * control API. Each control flaw alone fails control-api-hardened on the request that shows it;
 * hardened passes with every refusal seen.
 */
const SEED = 11;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-control-api-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

interface Check {
  name: string;
  valid: boolean | 'unknown';
  violations: { message: string; evidence: number[] }[];
  stats: Record<string, number>;
}

function checks(summary: unknown): Check[] {
  return (summary as { scenarios: { checks: Check[] }[] }).scenarios.flatMap((s) => s.checks);
}

function request(events: HistoryEvent[], seq: number): Record<string, unknown> {
  const e = events.find((x) => x.seq === seq);
  expect(e?.type).toBe('control.request');
  return (e?.data ?? {}) as Record<string, unknown>;
}

const FLAWS: [string, string, (d: Record<string, unknown>) => void][] = [
  ['control-no-rate-limit', '#T-H4', (d) => expect([d.name, d.status, d.n]).toEqual(['burst', 200, 21])],
  ['control-no-body-limit', '#T-M5', (d) => expect([d.name, d.bodyBytes, d.status]).toEqual(['oversize', 2 * 1024 * 1024, 400])],
  [
    'control-serves-docs',
    '#swagger-docs-unconditionally-enabled',
    (d) => {
      expect([d.name, d.method, d.path, d.auth, d.status]).toEqual(['docs', 'GET', '/docs', 'none', 200]);
      expect(String(d.excerpt)).toContain('Swagger UI');
    },
  ],
  [
    'control-error-leaks-internals',
    '#X-L2',
    (d) => {
      expect([d.name, d.status, d.secrets]).toEqual(['malformed-json', 500, ['api-key']]);
      expect(String(d.excerpt)).toContain('Traceback (most recent call last)');
      expect(String(d.excerpt)).toContain('<redacted:api-key>');
    },
  ],
];

describe('control-api-hostile-requests on refbot', () => {
  it.each(FLAWS)('with only flaw %s control-api-hardened fails (%s)', async (flaw, finding, shows) => {
    const r = await runScenario({ scenario: 'control-api-hostile-requests', profile: 'hardened', flaws: flaw, seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const all = checks(r.summary);
    expect(all.filter((c) => c.valid !== true).map((c) => c.name)).toEqual(['control-api-hardened']);
    const c = all[0] as Check;
    expect(c.valid).toBe(false);
    expect(c.violations.some((v) => v.message.includes(finding))).toBe(true);
    const v = c.violations.find((x) => x.message.includes(finding));
    shows(request(r.events, v?.evidence[0] as number));
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened refuses every hostile request and is not vacuous', async () => {
    const r = await runScenario({ scenario: 'control-api-hostile-requests', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const c = checks(r.summary).find((x) => x.name === 'control-api-hardened') as Check;
    expect(c.valid).toBe(true);
    expect(c.stats).toMatchObject({ requests: 37, refusedUnauthorized: 2, docsRefused: 2, burst: 30, listenSockets: 1 });
    expect(c.stats.burstLimited).toBeGreaterThan(0);
    expect(c.stats.errorAnswers).toBeGreaterThanOrEqual(4);
    // 000_2ae31cbfe79758d1.txt#T-L9: each kind of error answer (401 on /halt, /docs and /openapi.json, 413, 400, 429) has its log line.
    expect(c.stats).toMatchObject({ errorKinds: 6, errorKindsLogged: 6 });
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'control')).toBe(true);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'halt')).toBe(false);
    expect(leftovers(r.events)).toEqual([]);
  });
});
