import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { clockSkewFailsClosed } from './clock-skew-fails-closed.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';

const FINDING = '003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of';
const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['rest-orders'], options: {} };
const check = (events: HistoryEvent[], c = ctx) => runCheck(clockSkewFailsClosed, events, c);

let nextOrderId = 1;

function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', pos: string, reduceOnly = false, instance = 'bot-1'): number {
  const seq = h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: nextOrderId++, clientOrderId: `c${nextOrderId}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty: '0.016', reduceOnly, positionBefore: pos },
      instance,
    );
  h.at(t).add('venue', 'http.request', { method: 'POST', path: '/fapi/v1/order', status: 200 }, instance);
  return seq;
}

function rejected(h: SyntheticHistory, t: number, instance = 'bot-1'): number {
  return h.at(t).add('venue', 'http.request', { method: 'POST', path: '/fapi/v1/order', status: 400, code: -1021 }, instance);
}

function timeSync(h: SyntheticHistory, t: number, instance = 'bot-1'): number {
  return h.at(t).add('venue', 'http.request', { method: 'GET', path: '/fapi/v1/time', status: 200 }, instance);
}

function venueSkew(h: SyntheticHistory, from: number, to: number, offsetMs: number): [number, () => number] {
  const start = h
    .at(from)
    .add('fault', 'fault.start', { id: 'f1', kind: 'venue-clock-skew', impairs: [], params: { offsetMs, durationMs: to - from } }, 'bot-1');
  return [
    start,
    () => h.at(to).add('fault', 'fault.end', { id: 'f1', kind: 'venue-clock-skew', impairs: [], params: { offsetMs }, healedBy: 'schedule' }, 'bot-1'),
  ];
}

/** The bot trades LONG before the skew (so the instance is known). */
function tradingLong(): SyntheticHistory {
  const h = new SyntheticHistory();
  order(h, 1000, 'BUY', '0');
  return h;
}

describe('clock-skew-fails-closed', () => {
  it('is registered under its name and cites the finding', () => {
    expect(checker('clock-skew-fails-closed')).toBe(clockSkewFailsClosed);
    expect(clockSkewFailsClosed.findings).toEqual([FINDING, '004_8a8a9a4995486b8f.txt#C-ADAPTER-02']);
  });

  it('passes a bot that halts after the first -1021 and resumes after the skew', () => {
    const h = tradingLong();
    const [, end] = venueSkew(h, 3000, 9000, -5000);
    rejected(h, 3100);
    timeSync(h, 3120);
    timeSync(h, 4100);
    end();
    timeSync(h, 9100);
    order(h, 9200, 'SELL', '0.016', true);
    order(h, 10_200, 'SELL', '0');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ windows: 1, maxSkewMs: 5000, rejected1021: 1, riskAcceptedAfterKnown: 0 });
  });

  it('allows reduce-only exits signed validly during the skew', () => {
    const h = tradingLong();
    const [, end] = venueSkew(h, 3000, 9000, -5000);
    rejected(h, 3100);
    order(h, 4100, 'SELL', '0.016', true);
    end();
    expect(check(h.events).valid).toBe(true);
  });

  it('fails a bot that keeps signing with a reset (known-bad) clock', () => {
    const h = tradingLong();
    const [start, end] = venueSkew(h, 3000, 9000, -5000);
    const first = rejected(h, 3100);
    rejected(h, 4100);
    rejected(h, 5100);
    const fourth = rejected(h, 6100);
    rejected(h, 7100);
    end();
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.message).toMatch(/kept sending with a known-bad clock/);
    expect(r.violations[0]?.evidence).toEqual([fourth, first, start]);
  });

  it('fails a bot that re-syncs to a large skew and opens risk on it', () => {
    const h = tradingLong();
    const [start, end] = venueSkew(h, 3000, 9000, -5000);
    const first = rejected(h, 3100);
    timeSync(h, 3150);
    order(h, 4100, 'SELL', '0.016', true);
    const bad = order(h, 5100, 'SELL', '0');
    end();
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([bad, first, start]);
    expect(r.violations[0]?.message).toMatch(/-1021/);
  });

  it('counts a server-time answer in the window as knowing, even without any -1021', () => {
    const h = tradingLong();
    const [start, end] = venueSkew(h, 3000, 9000, 3000);
    const sync = timeSync(h, 3500);
    const bad = order(h, 4100, 'SELL', '0.016', false);
    // The bot was long 0.016: SELL 0.016 without reduceOnly from +0.016 goes flat: not risk-increasing.
    const bad2 = order(h, 5100, 'SELL', '0');
    end();
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[bad2, sync, start]]);
    expect(bad).toBeLessThan(bad2);
  });

  it('does not judge orders accepted before the bot could know', () => {
    const h = tradingLong();
    const [, end] = venueSkew(h, 3000, 9000, 3000);
    order(h, 3500, 'SELL', '0.016', true);
    order(h, 4500, 'SELL', '0');
    end();
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats.riskAccepted).toBe(1);
  });

  it('is unknown for a skew within maxSkewMs, which a bot may re-sync to and trade on', () => {
    const h = tradingLong();
    const [, end] = venueSkew(h, 3000, 9000, -800);
    timeSync(h, 3500);
    order(h, 4000, 'SELL', '0.016', true);
    order(h, 5000, 'SELL', '0');
    end();
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/never disagreed by more than 1000 ms/);
    expect(check(h.events, { ...ctx, options: { maxSkewMs: 500 } }).valid).toBe(false);
  });

  it('is unknown without any clock fault, and when the bot sent no signed request in the window', () => {
    expect(check(tradingLong().events).valid).toBe('unknown');
    const h = tradingLong();
    const [, end] = venueSkew(h, 3000, 9000, -5000);
    timeSync(h, 3500);
    end();
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no signed request/);
  });

  it('follows the bot clock through clock-jump clock.offset events; venue and bot skew cancel out', () => {
    const h = tradingLong();
    const off = h.at(3000).add('fault', 'clock.offset', { offsetMs: 4000, by: 'f2' }, 'bot-1');
    h.at(3000).add('fault', 'fault.start', { id: 'f2', kind: 'clock-jump', impairs: [], params: { offsetMs: 4000, durationMs: 6000 } }, 'bot-1');
    const first = rejected(h, 3100);
    const bad = order(h, 4100, 'SELL', '0');
    h.at(9000).add('fault', 'clock.offset', { offsetMs: 0, by: 'f2' }, 'bot-1');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([bad, first, off + 1]);
    // The venue skewed by the same amount: the two clocks agree, nothing to judge.
    const h2 = tradingLong();
    h2.at(3000).add('fault', 'clock.offset', { offsetMs: 4000, by: 'f2' }, 'bot-1');
    venueSkew(h2, 3000, 9000, 4000);
    order(h2, 4100, 'SELL', '0');
    expect(check(h2.events).valid).toBe('unknown');
  });

  it('opens the window only once a clock-drift passes maxSkewMs', () => {
    const h = tradingLong();
    h.at(3000).add('fault', 'fault.start', { id: 'f3', kind: 'clock-drift', impairs: [], params: { msPerSecond: 500, durationMs: 6000 } }, 'bot-1');
    h.at(3500).add('fault', 'clock.offset', { offsetMs: 250, by: 'f3' }, 'bot-1');
    rejected(h, 3600); // not in a window: the skew is only 250 ms
    order(h, 3700, 'SELL', '0.016', true);
    h.at(6000).add('fault', 'clock.offset', { offsetMs: 1500, by: 'f3' }, 'bot-1');
    const first = rejected(h, 6100);
    const bad = order(h, 7000, 'SELL', '0');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence.slice(0, 2)).toEqual([bad, first]);
    expect(r.stats.rejected1021).toBe(2);
  });

  it('honours maxRejected', () => {
    const h = tradingLong();
    const [, end] = venueSkew(h, 3000, 9000, -5000);
    for (let i = 0; i < 5; i++) rejected(h, 3100 + i * 1000);
    end();
    expect(check(h.events).valid).toBe(false);
    expect(check(h.events, { ...ctx, options: { maxRejected: 5 } }).valid).toBe(true);
  });
});
