import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, faultKind, httpRequest, outboundCheck } from './outbound.ts';

/**
 * rest-permanent-error-no-retry through the real CLI: for 4 s every order is rejected -1111
 * (precision). With flaw retry-permanent-errors refbot re-sends the identical order; hardened ends
 * the intent and trades on.
 */
const FINDING = '004_8a8a9a4995486b8f.txt#H-SERV-01';
const SEED = 5;
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-permanent-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe(`rest-permanent-error-no-retry on refbot (${FINDING})`, () => {
  it('with only flaw retry-permanent-errors it re-sends a permanently rejected order', async () => {
    const r = await runScenario({ scenario: 'rest-permanent-error-no-retry', profile: 'hardened', flaws: 'retry-permanent-errors', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(false);
    expect(check.findings).toContain(FINDING);
    expect(check.violations.length).toBeGreaterThan(0);
    for (const v of check.violations) {
      const [resend, rejected, start] = evidenceEvents(r.events, v.evidence);
      const a = httpRequest(resend as NonNullable<typeof resend>);
      const b = httpRequest(rejected as NonNullable<typeof rejected>);
      // The identical request (same endpoint and parameter digest) after a -1111.
      expect([b.method, b.path, b.status, b.code]).toEqual(['POST', '/fapi/v1/order', 400, -1111]);
      expect([a.method, a.path, a.fp]).toEqual([b.method, b.path, b.fp]);
      expect(resend?.seq).toBeGreaterThan(rejected?.seq as number);
      expect(faultKind(start)).toBe('rest-error');
    }
    // The bot's own probes agree: the same intent, a second attempt.
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'intent' && e.data.attempt === 2)).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });

  it('hardened never re-sends a permanent rejection and is not vacuous', async () => {
    const r = await runScenario({ scenario: 'rest-permanent-error-no-retry', profile: 'hardened', seed: SEED, reportsDir });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const check = outboundCheck(r.summary);
    expect(check.valid).toBe(true);
    expect(check.stats.permanentErrors).toBeGreaterThan(1);
    expect(check.stats.permanentResends).toBe(0);
    expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'intent' && e.data.attempt !== 1)).toBe(false);
    const end = r.events.find((e) => e.type === 'fault.end');
    expect(r.events.some((e) => e.type === 'order.new' && e.t > (end?.t as number))).toBe(true);
    expect(leftovers(r.events)).toEqual([]);
  });
});
