import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, faultKind, httpRequest, outboundCheck } from './outbound.ts';

/**
 * rest-rate-limit-retry-after through the real CLI: the venue answers 429 with Retry-After 2 s for
 * 5 s. With flaw ignore-retry-after refbot keeps sending at its cadence; hardened sends nothing on
 * any path until Retry-After has elapsed.
 */
const FINDING = '002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan';
const BYPASS_FINDINGS = ['004_8a8a9a4995486b8f.txt#H-SERV-04', '004_8a8a9a4995486b8f.txt#H-ADAPTER-03'];
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-rate-limit-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`rest-rate-limit-retry-after on refbot (${FINDING})`, () => {
  it('with only flaw ignore-retry-after it sends inside the Retry-After pause', async () => {
    const r = await runScenario({ scenario: 'rest-rate-limit-retry-after', profile: 'hardened', flaws: 'ignore-retry-after', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(false);
    expect(check.findings).toContain(FINDING);
    expect(check.violations.length).toBeGreaterThan(0);
    for (const v of check.violations) {
      const [sent, limited, start] = evidenceEvents(r.events, v.evidence);
      const l = httpRequest(limited as NonNullable<typeof limited>);
      httpRequest(sent as NonNullable<typeof sent>);
      expect([429, 418]).toContain(l.status);
      expect(l.retryAfterS).toBe(2);
      // The offending request reached the venue inside the pause, from the same instance.
      expect(sent?.instance).toBe(limited?.instance);
      expect((sent?.t as number) - (limited?.t as number)).toBeGreaterThan(250);
      expect((sent?.t as number) - (limited?.t as number)).toBeLessThan(2000);
      expect(faultKind(start)).toBe('rest-rate-limit');
    }
    expect(check.stats.requestsInPause).toBeGreaterThan(0);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('with only flaw limiter-skips-market-data its market-data poll bypasses the pause', async () => {
    const r = await runScenario({ scenario: 'rest-rate-limit-retry-after', profile: 'hardened', flaws: 'limiter-skips-market-data', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(false);
    for (const f of BYPASS_FINDINGS) expect(check.findings).toContain(f);
    expect(check.violations.length).toBeGreaterThan(0);
    for (const v of check.violations) {
      const [sent, limited] = evidenceEvents(r.events, v.evidence);
      // What broke the pause is the REST mid poll (GET ticker), while the order path waited.
      expect(httpRequest(sent as NonNullable<typeof sent>).path).toBe('/fapi/v1/ticker/bookTicker');
      expect(httpRequest(limited as NonNullable<typeof limited>).retryAfterS).toBe(2);
    }
    const start = r.events.find((e) => e.type === 'fault.start');
    const end = r.events.find((e) => e.type === 'fault.end');
    const inStorm = r.events.filter((e) => e.type === 'http.request' && e.t > (start?.t as number) && e.t < (end?.t as number));
    expect(inStorm.filter((e) => e.data.path === '/fapi/v1/order').length).toBeLessThanOrEqual(3);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened honours Retry-After on every path and is not vacuous', async () => {
    const r = await runScenario({ scenario: 'rest-rate-limit-retry-after', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(true);
    expect(check.stats.rateLimited).toBeGreaterThan(0);
    expect(check.stats.requestsInPause).toBe(0);
    expect(check.stats.banned418).toBe(0);
    // It kept trading around the storm, and skipped ticks while told to wait.
    expect(r.events.filter((e) => e.type === 'probe' && e.data.probe === 'skip' && e.data.reason === 'retry-after').length).toBeGreaterThan(0);
    const end = r.events.find((e) => e.type === 'fault.end');
    expect(r.events.some((e) => e.type === 'order.new' && e.t > (end?.t as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
