import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { breakerCountsIntents } from './breaker-counts-intents.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders', 'probes'], options: {} };
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(breakerCountsIntents, h.events, { ...ctx, options });

/** An order POST of bot-1: fp names the order (its re-sends share it). */
function post(h: SyntheticHistory, t: number, fp: string, status = 503, instance = 'bot-1'): number {
  return h.at(t).add('venue', 'http.request', { method: 'POST', path: '/fapi/v1/order', status, ...(status >= 400 ? { code: -1001 } : {}), fp }, instance);
}

const halt = (h: SyntheticHistory, t: number, reason = 'consecutive-rejects', instance = 'bot-1') =>
  h.at(t).add('target', 'probe', { probe: 'halt', reason, cooldownMs: 5000 }, instance);

describe('breaker-counts-intents', () => {
  it('is registered and cites the retried-rejections finding', () => {
    expect(checker('breaker-counts-intents')).toBe(breakerCountsIntents);
    expect(breakerCountsIntents.findings).toEqual(['001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors']);
  });

  it('fails a breaker that halts on three failed sends of one order, with the halt and the sends as evidence', () => {
    const h = new SyntheticHistory();
    post(h, 100, 'a', 200);
    const sends = [post(h, 1000, 'b'), post(h, 1400, 'b'), post(h, 1800, 'b')];
    const stop = halt(h, 1850);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([stop, ...sends]);
    expect(r.violations[0]?.message).toMatch(
      /bot-1 halted \(consecutive-rejects\) at t=1\.85s after 3 failed order request\(s\) \(503 -1001\) of only 1 distinct order\(s\)/,
    );
    expect(r.stats).toMatchObject({ failedRequests: 3, retriedOrders: 1, ordersFailedTripAfterTimes: 1, breakerHalts: 1 });
  });

  it('passes a bot that re-sends one order three times without halting, and one that halts after three distinct orders', () => {
    const h = new SyntheticHistory();
    for (const t of [1000, 1400, 1800]) post(h, t, 'b');
    post(h, 2500, 'c', 200);
    expect(check(h).valid).toBe(true);
    for (const [t, fp] of [
      [3000, 'd'],
      [3100, 'd'],
      [3200, 'd'],
      [4000, 'e'],
      [5000, 'f'],
    ] as const)
      post(h, t, fp);
    halt(h, 5100);
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.notes[0]).toMatch(/2 order\(s\) failed 3\+ times/);
  });

  it('starts over at an accepted order, a restart and a halt; other halts and other instances do not count', () => {
    const h = new SyntheticHistory();
    for (const t of [1000, 1100, 1200]) post(h, t, 'b');
    post(h, 1300, 'c', 200);
    post(h, 1400, 'd');
    halt(h, 1500, 'operator'); // not a breaker halt
    post(h, 1600, 'e', 503, 'bot-2');
    halt(h, 1700, 'consecutive-rejects', 'bot-2'); // bot-2: one failed request, one order: a violation of its own
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.instance)).toEqual(['bot-2']);
    const restarted = new SyntheticHistory();
    for (const t of [1000, 1100, 1200]) post(restarted, t, 'b');
    restarted.at(1300).add('target', 'target.restart', { previousPid: 1 }, 'bot-1');
    halt(restarted, 1400);
    expect(check(restarted).valid).toBe(true);
  });

  it('answers unknown when no order failed tripAfter times', () => {
    const h = new SyntheticHistory();
    post(h, 1000, 'b');
    post(h, 1100, 'b');
    expect(check(h).valid).toBe('unknown');
    expect(check(h).notes[0]).toMatch(/no order failed 3 times/);
    expect(check(h, { tripAfter: 2 }).valid).toBe(true);
  });
});
