import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { outboundDiscipline } from './outbound-discipline.ts';
import { checker } from './registry.ts';

const scenario = { id: 'synthetic' } as Scenario;
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(outboundDiscipline, events, { scenario, capabilities: [], options });

interface Req {
  method?: string;
  path?: string;
  status?: number;
  code?: number;
  fp?: string;
  retryAfterS?: number;
  dropped?: boolean;
}

function req(h: SyntheticHistory, t: number, r: Req = {}, instance = 'bot-1'): number {
  const data = { method: r.method ?? 'POST', path: r.path ?? '/fapi/v1/order', status: r.status ?? 200, fp: r.fp ?? 'aaaa', ...r };
  return h.at(t).add('venue', 'http.request', data, instance);
}

function fault(h: SyntheticHistory, t: number, kind: string): number {
  return h.at(t).add('fault', 'fault.start', { id: 'f1', kind, impairs: [], params: {} }, 'bot-1');
}

const limited = (retryAfterS = 2): Req => ({ status: 429, code: -1003, retryAfterS });
const margin: Req = { status: 400, code: -2019, fp: 'order-1' };
const unavailable: Req = { status: 503, code: -1001 };

describe('outbound-discipline', () => {
  it('is registered under its name and cites the findings it decides', () => {
    expect(checker('outbound-discipline')).toBe(outboundDiscipline);
    expect(outboundDiscipline.findings).toEqual([
      '002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan',
      '002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis',
      '004_8a8a9a4995486b8f.txt#H-SERV-01',
      '004_8a8a9a4995486b8f.txt#H-SERV-03',
      '004_8a8a9a4995486b8f.txt#H-SERV-04',
      '004_8a8a9a4995486b8f.txt#H-ADAPTER-03',
      '004_8a8a9a4995486b8f.txt#H-SERV-02',
    ]);
  });

  it('is unknown when nothing it judges happened', () => {
    const h = new SyntheticHistory();
    req(h, 1000);
    req(h, 2000, { method: 'GET', path: '/fapi/v1/order', status: 400, code: -2013 }); // a lookup's "not yet"
    req(h, 2100, { method: 'GET', path: '/fapi/v1/order', status: 400, code: -2013 });
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.stats.requests).toBe(3);
  });

  describe('retry-after', () => {
    it('passes a bot that stays quiet for Retry-After (a request already in flight is forgiven)', () => {
      const h = new SyntheticHistory();
      fault(h, 900, 'rest-rate-limit');
      req(h, 1000, limited(2));
      req(h, 1100, { path: '/fapi/v1/ticker/bookTicker', method: 'GET', status: 429, retryAfterS: 2 }); // within graceMs
      req(h, 3200);
      const r = check(h.events, { rules: ['retry-after'] });
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ rateLimited: 2, requestsInPause: 0 });
    });

    it('fails a bot that sends on any path inside the pause, once per pause, with the 429 as evidence', () => {
      const h = new SyntheticHistory();
      const f = fault(h, 900, 'rest-rate-limit');
      const first = req(h, 1000, limited(2));
      const again = req(h, 2000, { method: 'GET', path: '/fapi/v1/time', status: 429, retryAfterS: 2 });
      req(h, 3000, limited(2)); // still inside the pause it extended: the same violation
      req(h, 4000, { status: 418, code: -1003, retryAfterS: 2 });
      const r = check(h.events, { rules: ['retry-after'] });
      expect(r.valid).toBe(false);
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]?.evidence).toEqual([again, first, f]);
      expect(r.violations[0]?.message).toMatch(/GET \/fapi\/v1\/time 1000 ms after .*Retry-After 2 s/);
      expect(r.stats).toMatchObject({ requestsInPause: 3, banned418: 1 });
    });

    it('fails a market-data poll that bypasses the limiter while the order path waits', () => {
      const h = new SyntheticHistory();
      const first = req(h, 1000, limited(2));
      const poll = req(h, 1700, { method: 'GET', path: '/fapi/v1/ticker/bookTicker', status: 429, code: -1003, retryAfterS: 2, fp: 'sym' });
      req(h, 3800); // the order path came back after the pause
      const r = check(h.events, { rules: ['retry-after'] });
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([poll, first]);
    });

    it('judges each instance on its own', () => {
      const h = new SyntheticHistory();
      req(h, 1000, limited(2), 'bot-1');
      req(h, 1500, {}, 'bot-2');
      expect(check(h.events, { rules: ['retry-after'] }).valid).toBe(true);
    });

    it('does not judge a 429 without Retry-After', () => {
      const h = new SyntheticHistory();
      req(h, 1000, { status: 429, code: -1003 });
      req(h, 1300);
      const r = check(h.events, { rules: ['retry-after'] });
      expect(r.valid).toBe('unknown');
    });
  });

  describe('permanent-errors', () => {
    it('passes a bot that gives up on a permanently rejected order', () => {
      const h = new SyntheticHistory();
      req(h, 1000, margin);
      req(h, 2000, { ...margin, fp: 'order-2' }); // the next intent: different parameters
      const r = check(h.events, { rules: ['permanent-errors'] });
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ permanentErrors: 2, permanentResends: 0 });
    });

    it('fails a bot that re-sends the identical request', () => {
      const h = new SyntheticHistory();
      const f = fault(h, 900, 'rest-error');
      const rej = req(h, 1000, margin);
      const resend = req(h, 1200, margin);
      const r = check(h.events, { rules: ['permanent-errors'] });
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([resend, rej, f]);
      expect(r.violations[0]?.message).toMatch(/re-sent the identical POST \/fapi\/v1\/order .* 200 ms after .*HTTP 400 code -2019/);
    });

    it('names the fault behind the rejection even when the re-send comes after it ended', () => {
      const h = new SyntheticHistory();
      const f = fault(h, 900, 'rest-error');
      const rej = req(h, 1000, margin);
      h.at(1100).add('fault', 'fault.end', { id: 'f1', kind: 'rest-error' }, 'bot-1');
      const resend = req(h, 1200, { status: 200, fp: 'order-1' });
      const r = check(h.events, { rules: ['permanent-errors'] });
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([resend, rej, f]);
    });

    it('allows the same request again after permanentWindowMs, and re-sends after a -1021', () => {
      const h = new SyntheticHistory();
      req(h, 1000, margin);
      req(h, 12_000, margin);
      req(h, 13_000, { status: 400, code: -1021, fp: 'x' });
      req(h, 13_100, { fp: 'x' });
      expect(check(h.events, { rules: ['permanent-errors'] }).valid).toBe(true);
    });
  });

  describe('backoff', () => {
    it('passes a bot that backs off after three failures in a row', () => {
      const h = new SyntheticHistory();
      req(h, 1000, unavailable);
      req(h, 1200, unavailable); // quick retries below the threshold are fine
      req(h, 1600, unavailable);
      req(h, 3700, unavailable); // >= 2000 ms after the third
      req(h, 8000);
      const r = check(h.events, { rules: ['backoff'] });
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ transientFailures: 4, retriesAfterFailure: 4, maxStreak: 4, hammered: 0 });
    });

    it('fails a bot that keeps calling a failing endpoint at a fixed pace', () => {
      const h = new SyntheticHistory();
      const f = fault(h, 900, 'rest-error');
      const first = req(h, 1000, unavailable);
      req(h, 1200, unavailable);
      const third = req(h, 1400, unavailable);
      const fourth = req(h, 1600, unavailable);
      req(h, 1800, unavailable);
      const r = check(h.events, { rules: ['backoff'] });
      expect(r.valid).toBe(false);
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]?.evidence).toEqual([fourth, third, first, f]);
      expect(r.stats.hammered).toBe(2);
    });

    it('counts lost answers and 408 as failures, and a definite answer ends the streak', () => {
      const h = new SyntheticHistory();
      req(h, 1000, { status: 200, dropped: true });
      req(h, 1100, { status: 408, code: -1007 });
      req(h, 1200, { status: 400, code: -2019, fp: 'b' }); // the endpoint answered: it is up
      req(h, 1300, unavailable);
      req(h, 1400, unavailable);
      req(h, 1500, unavailable);
      expect(check(h.events, { rules: ['backoff'] }).valid).toBe(true);
      const h2 = new SyntheticHistory();
      req(h2, 1000, { status: 200, dropped: true });
      req(h2, 1100, { status: 408, code: -1007 });
      req(h2, 1200, unavailable);
      const hit = req(h2, 1300, { method: 'POST', path: '/fapi/v1/order' });
      const r = check(h2.events, { rules: ['backoff'] });
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence[0]).toBe(hit);
    });

    it('tracks endpoints separately and honours its options', () => {
      const h = new SyntheticHistory();
      for (const t of [1000, 1100, 1200]) req(h, t, unavailable);
      req(h, 1300, { method: 'GET', path: '/fapi/v1/order', status: 400, code: -2013 });
      req(h, 1400, { method: 'GET', path: '/fapi/v2/positionRisk' });
      expect(check(h.events, { rules: ['backoff'] }).valid).toBe(true); // other endpoints may be called at once
      req(h, 2500, unavailable);
      expect(check(h.events, { rules: ['backoff'] }).valid).toBe(false);
      expect(check(h.events, { rules: ['backoff'], minPauseMs: 1000 }).valid).toBe(true);
      expect(check(h.events, { rules: ['backoff'], failureThreshold: 5 }).valid).toBe(true);
    });
  });

  describe('recovery', () => {
    const mid = (status = 200): Req => ({ method: 'GET', path: '/fapi/v1/ticker/bookTicker', status, fp: 'm' });
    /** Polls every 1 s from 1 s, 503 at 4 s and 5 s under a rest-error fault 3.5-5.5 s, then every `after` ms until `until`. */
    function polled(after: number, until = 14_000): { h: SyntheticHistory; first: number; start: number } {
      const h = new SyntheticHistory();
      for (let t = 1000; t <= 3000; t += 1000) req(h, t, mid());
      const start = h.at(3500).add('fault', 'fault.start', { id: 'f1', kind: 'rest-error', impairs: [], params: {} });
      const first = req(h, 4000, mid(503));
      req(h, 5000, mid(503));
      h.at(5500).add('fault', 'fault.end', { id: 'f1', kind: 'rest-error', params: {} });
      for (let t = 5000 + after; t <= until; t += after) req(h, t, mid());
      h.at(15_000).add('harness', 'scenario.window.end', {});
      return { h, first, start };
    }

    it('passes a poll that is back to its cadence after the heal', () => {
      const r = check(polled(1000).h.events, { rules: ['recovery'] });
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ recoveryEndpointsJudged: 1, recoveryBaselineMs: 1000, notRecovered: 0 });
      expect(r.stats.recoveryMaxGapAfterHealMs).toBeLessThanOrEqual(1000);
    });

    it('fails a poll stuck in slow mode, the late request first, then the one before, the first failure and its fault', () => {
      const { h, first, start } = polled(4000); // requests at 9 s and 13 s: the 4 s gap ends with the 13 s one
      const r = check(h.events, { rules: ['recovery'] });
      expect(r.valid).toBe(false);
      expect(r.violations).toHaveLength(1);
      const late = h.events.find((e) => e.t === 13_000 && e.type === 'http.request')?.seq;
      const before = h.events.find((e) => e.t === 9000 && e.type === 'http.request')?.seq;
      expect(r.violations[0]?.evidence).toEqual([late, before, first, start]);
      expect(r.violations[0]?.message).toMatch(/did not return to its cadence on GET \/fapi\/v1\/ticker\/bookTicker/);
      // A looser bound accepts it; the default rules do not judge recovery at all.
      expect(check(h.events, { rules: ['recovery'], slowFactor: 5 }).valid).toBe(true);
      expect(check(h.events).stats.recoveryEndpointsJudged).toBe(0);
    });

    it('fails a poll that never comes back, with the window end as the offending event', () => {
      const { h } = polled(1000, 6000);
      const r = check(h.events, { rules: ['recovery'] });
      expect(r.valid).toBe(false);
      expect(h.events[r.violations[0]?.evidence[0] as number]?.type).toBe('scenario.window.end');
    });

    it('is unknown without a cadence before the failure, without a heal, or without time after it', () => {
      const h = new SyntheticHistory();
      req(h, 3000, mid());
      req(h, 4000, mid(503));
      h.at(15_000).add('harness', 'scenario.window.end', {});
      expect(check(h.events, { rules: ['recovery'] }).valid).toBe('unknown');
      const unhealed = polled(1000).h.events.filter((e) => e.type !== 'fault.end');
      expect(check(unhealed, { rules: ['recovery'] }).valid).toBe('unknown');
      expect(check(polled(1000).h.events, { rules: ['recovery'], recoverySettleMs: 9000 }).valid).toBe('unknown');
    });
  });

  it('only judges the rules it is given, and rejects bad options', () => {
    const h = new SyntheticHistory();
    req(h, 1000, margin);
    req(h, 1100, margin);
    expect(check(h.events, { rules: ['retry-after'] }).valid).toBe('unknown');
    expect(check(h.events).valid).toBe(false);
    const bad = check(h.events, { rules: ['nope'] });
    expect(bad.valid).toBe('unknown');
    expect(bad.notes.join(' ')).toMatch(/rules must be/);
  });
});
