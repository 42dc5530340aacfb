import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { historyGapsRefilled, requestedSpan, subtract } from './history-gaps-refilled.ts';
import { checker } from './registry.ts';

const MIN = 60_000;
/** The synthetic history's t is also the request time the windows are judged against. */
const T0 = 100 * MIN;
const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(historyGapsRefilled, h.events, { ...ctx, options });

/** A 30-minute page of 1m klines from `from` minutes, answered with `status`. */
function page(h: SyntheticHistory, t: number, from: number, status = 200, instance = 'bot-1'): number {
  const window = { symbol: 'BTCUSDT', interval: '1m', now: t, startTime: from * MIN, endTime: (from + 30) * MIN - 1, limit: 30 };
  return h.at(t).add('venue', 'http.request', { method: 'GET', path: '/fapi/v1/klines', status, ...(status >= 400 ? { code: -1001 } : {}), window }, instance);
}

function order(h: SyntheticHistory, t: number, pos = '0', reduceOnly = false, instance = 'bot-1'): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: t, clientOrderId: `c${t}`, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', qty: '0.002', reduceOnly, positionBefore: pos },
      instance,
    );
}

describe('history-gaps-refilled', () => {
  it('is registered and cites the swallowed-page finding', () => {
    expect(checker('history-gaps-refilled')).toBe(historyGapsRefilled);
    expect(historyGapsRefilled.findings).toEqual(['003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break']);
  });

  it('reads the candles a request asks for, with and without startTime', () => {
    expect(requestedSpan({ symbol: 'X', now: T0, interval: '1m', startTime: 10 * MIN, endTime: 40 * MIN - 1, limit: 30 })).toEqual([10 * MIN, 39 * MIN]);
    // startTime between candles: the first candle is the next one; the limit cuts the span.
    expect(requestedSpan({ symbol: 'X', now: T0, interval: '1m', startTime: 10 * MIN + 5, limit: 5 })).toEqual([11 * MIN, 15 * MIN]);
    // The latest 30 up to now (T0 + 20 s lies in minute 100).
    expect(requestedSpan({ symbol: 'X', now: T0 + 20_000, interval: '1m', limit: 30 })).toEqual([71 * MIN, 100 * MIN]);
    expect(requestedSpan({ symbol: 'X', now: T0, interval: '1m', startTime: 200 * MIN })).toBeUndefined();
    expect(requestedSpan({ symbol: 'X', now: T0, interval: '7m' })).toBeUndefined();
    expect(subtract([[0, 100]], [20, 30], 1)).toEqual([
      [0, 19],
      [31, 100],
    ]);
    expect(subtract([[0, 100]], [0, 100], 1)).toEqual([]);
    // Candle arithmetic: what is left after a page ends is the next candle on, so a page from it covers it.
    const left = subtract([[23 * MIN, 52 * MIN]], [0, 23 * MIN], MIN);
    expect(left).toEqual([[24 * MIN, 52 * MIN]]);
    expect(subtract(left, [24 * MIN, 53 * MIN], MIN)).toEqual([]);
  });

  it('passes a bot that retries the failed page before it opens risk', () => {
    const h = new SyntheticHistory();
    page(h, T0, 10);
    page(h, T0 + 100, 40, 503);
    page(h, T0 + 1100, 40, 503);
    page(h, T0 + 2100, 40);
    page(h, T0 + 2200, 70);
    order(h, T0 + 1500, '0.002', true); // a reduce-only exit while the gap is open is fine
    order(h, T0 + 2500);
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ failed: 2, gaps: 2, refilled: 2, riskOrdersAfterFailure: 1, onGap: 0 });
  });

  it('passes a refill whose pages moved on by a minute (the clock rolled between the failure and the retry)', () => {
    const h = new SyntheticHistory();
    page(h, T0 + 100, 23, 503);
    page(h, T0 + 3000, 0); // 0..29: covers 23..29
    page(h, T0 + 3200, 30); // 30..59: the rest of 23..52
    order(h, T0 + 3500);
    expect(check(h).valid).toBe(true);
  });

  it('passes a gap the bot had already fetched, and a bot that holds risk until a wider request covers the gap', () => {
    const h = new SyntheticHistory();
    page(h, T0, 40);
    page(h, T0 + 100, 40, 503); // a refresh of candles it already has: no gap
    h.at(T0 + 200).add(
      'venue',
      'http.request',
      { method: 'GET', path: '/fapi/v1/klines', status: 408, window: { symbol: 'BTCUSDT', interval: '1m', now: T0 + 200, limit: 30 } },
      'bot-1',
    );
    h.at(T0 + 3000).add(
      'venue',
      'http.request',
      { method: 'GET', path: '/fapi/v1/klines', status: 200, window: { symbol: 'BTCUSDT', interval: '1m', now: T0 + 3000, limit: 90 } },
      'bot-1',
    );
    order(h, T0 + 3100);
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ failed: 2, gaps: 1, refilled: 1 });
  });

  it('forgets on a restart what the old process had fetched: the new one’s failed page is a gap', () => {
    const h = new SyntheticHistory();
    page(h, T0, 40);
    h.at(T0 + 1000).add('target', 'target.restart', { previousPid: 7 }, 'bot-1');
    const failed = page(h, T0 + 2000, 40, 503);
    const o = order(h, T0 + 2500);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([failed, o]);
  });

  it('fails a bot that swallows the failed page and trades on, with the failed request and the order as evidence', () => {
    const h = new SyntheticHistory();
    page(h, T0, 10);
    const failed = page(h, T0 + 100, 40, 503);
    page(h, T0 + 200, 70); // the loop went on past the hole
    const first = order(h, T0 + 600);
    order(h, T0 + 900, '0.002');
    order(h, T0 + 950, '0.004', false, 'bot-2'); // another instance: not on bot-1's gap
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([failed, first]);
    expect(r.violations[0]?.message).toMatch(
      /bot-1 opened risk 2 time\(s\) on a history with a hole: GET \/fapi\/v1\/klines BTCUSDT 1m 00:40\.\.01:09 UTC \(HTTP 503 -1001\).*never fetched again.*BUY 0\.002 BTCUSDT/,
    );
  });

  it('fails a bot that opened risk before the later refill, and allows an order already in flight (graceMs)', () => {
    const h = new SyntheticHistory();
    page(h, T0 + 100, 40, 503);
    order(h, T0 + 200); // within 250 ms of the failure
    const late = order(h, T0 + 800);
    page(h, T0 + 5000, 40);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence[1]).toBe(late);
    expect(r.violations[0]?.message).toMatch(/opened risk 1 time\(s\).*fetched again only later/);
    expect(check(h, { graceMs: 1000 }).valid).toBe(true);
  });

  it('answers unknown when no history request failed or nothing followed the failure', () => {
    const clean = new SyntheticHistory();
    page(clean, T0, 10);
    order(clean, T0 + 500);
    expect(check(clean).valid).toBe('unknown');
    expect(check(clean).notes[0]).toMatch(/no market-history request failed/);
    const quiet = new SyntheticHistory();
    page(quiet, T0, 10, 503);
    order(quiet, T0 + 500, '0.002', true);
    expect(check(quiet).valid).toBe('unknown');
    expect(check(quiet).notes[0]).toMatch(/no risk-increasing order came after/);
  });
});
