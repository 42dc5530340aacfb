import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, faultKind, httpRequest, outboundCheck } from './outbound.ts';

/**
 * rest-outage-backoff through the real CLI: POST /fapi/v1/order answers 503 -1001 for 12 s. With
 * flaw retry-without-backoff refbot re-sends every 0.2 s; hardened backs off (a lookup before each
 * re-send) and its circuit breaker opens after 3 failures in a row.
 */
const FINDINGS = [
  '002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan',
  '002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis',
  '004_8a8a9a4995486b8f.txt#H-SERV-03',
];
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-outage-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe('rest-outage-backoff on refbot', () => {
  it('with only flaw retry-without-backoff it hammers the failing endpoint', async () => {
    const r = await runScenario({ scenario: 'rest-outage-backoff', profile: 'hardened', flaws: 'retry-without-backoff', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(false);
    for (const f of FINDINGS) expect(check.findings).toContain(f);
    expect(check.violations.length).toBeGreaterThan(0);
    for (const v of check.violations) {
      const [again, last, first, start] = evidenceEvents(r.events, v.evidence);
      const l = httpRequest(last as NonNullable<typeof last>);
      expect(httpRequest(again as NonNullable<typeof again>).path).toBe('/fapi/v1/order');
      expect([l.method, l.path, l.status, l.code]).toEqual(['POST', '/fapi/v1/order', 503, -1001]);
      expect(httpRequest(first as NonNullable<typeof first>).status).toBe(503);
      // Three failures in a row (first .. last), then the next call well inside 2 s.
      const streak = r.events.filter(
        (e) => e.type === 'http.request' && e.seq >= (first?.seq as number) && e.seq <= (last?.seq as number) && e.data.path === '/fapi/v1/order',
      );
      expect(streak.length).toBeGreaterThanOrEqual(3);
      expect((again?.t as number) - (last?.t as number)).toBeLessThan(2000);
      expect(faultKind(start)).toBe('rest-error');
    }
    expect(check.stats.hammered).toBeGreaterThan(5);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened backs off, opens its breaker and recovers after the outage, and is not vacuous', async () => {
    const r = await runScenario({ scenario: 'rest-outage-backoff', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(true);
    expect(check.stats.transientFailures).toBeGreaterThanOrEqual(3);
    expect(check.stats.retriesAfterFailure).toBeGreaterThanOrEqual(3);
    expect(check.stats.hammered).toBe(0);
    const breaker = r.events.filter((e) => e.type === 'probe' && e.data.probe === 'breaker').map((e) => e.data.state);
    expect(breaker).toEqual(['open', 'closed']);
    const end = r.events.find((e) => e.type === 'fault.end');
    expect(r.events.some((e) => e.type === 'order.new' && e.t > (end?.t as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
