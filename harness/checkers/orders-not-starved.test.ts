import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { ordersNotStarved } from './orders-not-starved.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes', 'rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(ordersNotStarved, h.events, ctx);

const intent = (h: SyntheticHistory, t: number, cid: string) =>
  h.at(t).add('target', 'probe', { probe: 'intent', intent: 1, clientOrderId: cid, attempt: 1 }, 'bot-1');
const accepted = (h: SyntheticHistory, t: number, cid: string) => {
  const s = h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: t, clientOrderId: cid, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.01', reduceOnly: false, positionBefore: '0' },
      'bot-1',
    );
  h.at(t + 1).add('venue', 'http.request', { method: 'POST', path: '/fapi/v1/order', status: 200, fp: cid }, 'bot-1');
  return s;
};
const slow = (h: SyntheticHistory, from: number, path = '/fapi/v1/ticker/bookTicker') =>
  h.at(from).add('fault', 'fault.start', { id: 'f1', kind: 'rest-slow', params: { path, method: 'GET', delayMs: 3000, durationMs: 5000 } }, 'bot-1');
const healed = (h: SyntheticHistory, t: number) => h.at(t).add('fault', 'fault.end', { id: 'f1', kind: 'rest-slow', params: {} }, 'bot-1');

describe('orders-not-starved', () => {
  it('is registered and cites C-MAIN-06', () => {
    expect(checker('orders-not-starved')).toBe(ordersNotStarved);
    expect(ordersNotStarved.findings).toEqual(['004_8a8a9a4995486b8f.txt#C-MAIN-06']);
  });

  it('passes orders that reach the venue at once while a market-data endpoint is slow', () => {
    const h = new SyntheticHistory();
    slow(h, 1000);
    intent(h, 2000, 'a');
    accepted(h, 2010, 'a');
    intent(h, 3000, 'b');
    h.at(3020).add('venue', 'order.reject', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', qty: '0.01', code: -2019 }, 'bot-1');
    h.at(3021).add('venue', 'http.request', { method: 'POST', path: '/fapi/v1/order', status: 400, code: -2019, fp: 'b' }, 'bot-1');
    healed(h, 6000);
    h.at(9000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ intents: 2, judged: 2, maxDelayMs: 21, starved: 0 });
  });

  it('fails an order queued behind the slow request, and one that never arrives, with intent, arrival and fault', () => {
    const h = new SyntheticHistory();
    const f = slow(h, 1000);
    const i1 = intent(h, 2000, 'a');
    const o1 = accepted(h, 2950, 'a');
    const i2 = intent(h, 5000, 'b');
    healed(h, 6000);
    h.at(9000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([
      [i1, o1, f],
      [i2, f],
    ]);
    expect(r.violations[0]?.message).toMatch(
      /order a reached the venue 950 ms after the bot sent it, while \/fapi\/v1\/ticker\/bookTicker was slow \(bound 750 ms\)/,
    );
    expect(r.violations[1]?.message).toMatch(/order b never reached the venue/);
  });

  it('does not judge orders outside the slow window, under a slow order endpoint, or under other faults', () => {
    const h = new SyntheticHistory();
    intent(h, 500, 'early');
    accepted(h, 2500, 'early'); // slow, but nothing contended
    slow(h, 3000, '/fapi/v1/order');
    intent(h, 3500, 'own');
    accepted(h, 4000, 'own');
    healed(h, 4100);
    h.at(9000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe('unknown');
    expect(r.stats).toMatchObject({ intents: 2, judged: 0 });
  });
});
