import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { budgetReleased } from './budget-released.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(budgetReleased, h.events, ctx);

let id = 0;
function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, positionBefore: string): number {
  id++;
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly: false, positionBefore },
      'bot-1',
    );
}

/** Ticks at mid 100.1, openings of 2.0 (200.2 USDT) before a 2.5 s spell of -2019 from 3000 ms. */
function spell(): { h: SyntheticHistory; reject: number; end: number } {
  const h = new SyntheticHistory();
  h.ticks('BTCUSDT', 0, 14_000, 250);
  order(h, 500, 'BUY', '2.0', '0');
  order(h, 1500, 'SELL', '2.0', '2.0'); // exit: not an opening
  order(h, 2500, 'SELL', '2.0', '0');
  h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'rest-error', params: { method: 'POST', path: '/fapi/v1/order', durationMs: 2500 } }, 'bot-1');
  h.at(3500).add('venue', 'order.reject', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '2.0', code: -2019 }, 'bot-1');
  const reject = h.at(4500).add('venue', 'http.request', { method: 'POST', path: '/fapi/v1/order', status: 400, code: -2019 }, 'bot-1');
  const end = h.at(5500).add('fault', 'fault.end', { id: 'f1', kind: 'rest-error', params: {} }, 'bot-1');
  return { h, reject, end };
}

describe('budget-released', () => {
  it('is registered and cites H-ENG-01 and H-PORT-06', () => {
    expect(checker('budget-released')).toBe(budgetReleased);
    expect(budgetReleased.findings).toEqual(['004_8a8a9a4995486b8f.txt#H-ENG-01', '004_8a8a9a4995486b8f.txt#H-PORT-06']);
  });

  it('passes a bot that opens at its usual size again after the refusals', () => {
    const { h } = spell();
    order(h, 6000, 'BUY', '2.0', '-2.0'); // closes the short: no opening
    order(h, 7000, 'BUY', '2.0', '0');
    h.at(14_000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ judged: 1, smaller: 0, notResumed: 0 });
  });

  it('fails a bot that opens at a quarter of its size after the refusals, with the opening, the last refusal and the heal', () => {
    const { h, reject, end } = spell();
    const small = order(h, 7000, 'BUY', '0.5', '0');
    h.at(14_000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([small, reject, end]);
    expect(r.violations[0]?.message).toMatch(/first opening after order refusals ended was 50\.05 USDT, 25 % of its usual 200\.20 USDT/);
  });

  it('fails a bot that opens nothing after the refusals', () => {
    const { h, reject, end } = spell();
    order(h, 6000, 'BUY', '2.0', '-2.0'); // it still exits
    h.at(14_000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([reject, end]);
    expect(r.violations[0]?.message).toMatch(/opened no position within 6000 ms/);
  });

  it('starts the clock at the resume of a halt the refusals tripped, and still fails a bot that never opens again', () => {
    const ok = spell().h;
    ok.at(5000).add('target', 'probe', { probe: 'halt', reason: 'consecutive-rejects' }, 'bot-1');
    ok.at(10_000).add('target', 'probe', { probe: 'resume', reason: 'consecutive-rejects' }, 'bot-1');
    order(ok, 12_000, 'BUY', '2.0', '0'); // 6.5 s after the heal, 2 s after the resume
    ok.at(16_500).add('harness', 'scenario.window.end', {});
    expect(check(ok).valid).toBe(true);
    const { h, reject, end } = spell();
    h.at(5000).add('target', 'probe', { probe: 'halt', reason: 'consecutive-rejects' }, 'bot-1');
    h.at(10_000).add('target', 'probe', { probe: 'resume', reason: 'consecutive-rejects' }, 'bot-1');
    order(h, 11_000, 'BUY', '2.0', '-2.0'); // it still exits: alive, but opens nothing
    h.at(16_500).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([reject, end]);
    expect(r.violations[0]?.message).toMatch(/within 6000 ms after order refusals ended and its halt was over/);
  });

  it('does not judge a bot that sends no order at all after the heal (stuck, not short of budget)', () => {
    const { h } = spell();
    h.at(14_000).add('harness', 'scenario.window.end', {});
    order(h, 14_100, 'BUY', '2.0', '-2.0'); // its exit on the stop after the window: not trading
    const r = check(h);
    expect(r.valid).toBe('unknown');
    expect(r.stats).toMatchObject({ judged: 0, stuck: 1 });
  });

  it('answers unknown without refusals the bot ran into, or without time after the heal', () => {
    const h = new SyntheticHistory();
    h.ticks('BTCUSDT', 0, 14_000, 250);
    order(h, 500, 'BUY', '2.0', '0');
    h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'rest-error', params: { method: 'POST', path: '/fapi/v1/order' } }, 'bot-1');
    h.at(5500).add('fault', 'fault.end', { id: 'f1', kind: 'rest-error', params: {} }, 'bot-1');
    h.at(14_000).add('harness', 'scenario.window.end', {});
    expect(check(h).valid).toBe('unknown');
    const late = spell().h;
    late.at(8000).add('harness', 'scenario.window.end', {});
    expect(check(late).valid).toBe('unknown');
  });
});
