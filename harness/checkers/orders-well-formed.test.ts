import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { degenerate, ordersWellFormed } from './orders-well-formed.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(ordersWellFormed, h.events, ctx);

function accepted(h: SyntheticHistory, t: number, qty: string, price?: string): number {
  const order = { orderId: t, clientOrderId: `c${t}`, symbol: 'BTCUSDT', side: 'BUY', type: price ? 'LIMIT' : 'MARKET', qty, reduceOnly: false };
  return h.at(t).add('venue', 'order.new', { ...order, ...(price ? { price } : {}), positionBefore: '0' }, 'bot-1');
}

function rejected(h: SyntheticHistory, t: number, fields: { qty?: string; price?: string }, code: number, msg: string): number {
  return h.at(t).add('venue', 'order.reject', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', ...fields, code, msg }, 'bot-1');
}

describe('orders-well-formed', () => {
  it('is registered and cites its findings', () => {
    expect(checker('orders-well-formed')).toBe(ordersWellFormed);
    expect(ordersWellFormed.findings).toEqual(['004_8a8a9a4995486b8f.txt#H-PORT-03', '001_0474a2fd1532b929.txt#M5', '000_2ae31cbfe79758d1.txt#S-L2']);
  });

  it('classifies texts', () => {
    expect(degenerate('0.004')).toBeUndefined();
    expect(degenerate('60000')).toBeUndefined();
    expect(degenerate('nan')).toBe('NaN');
    expect(degenerate('NaN')).toBe('NaN');
    expect(degenerate('inf')).toBe('infinite');
    expect(degenerate('-0.5')).toBe('negative');
    expect(degenerate('1e-05')).toBe('in exponent notation (a float printed as text)');
    expect(degenerate('0.000')).toBe('zero');
    expect(degenerate('')).toBe('not a number');
  });

  it('passes orders with positive plain quantities and prices, whatever else the venue refused them for', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, '0.004');
    accepted(h, 2000, '0.004', '59990.5');
    rejected(h, 3000, { qty: '0.004', price: '59990.5' }, -2019, 'Margin is insufficient.');
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toEqual({ orders: 3, degenerate: 0 });
  });

  it('fails a NaN price from dust fills and a zero price from a zero grid center, with the order as evidence', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, '0.004');
    const nan = rejected(h, 2000, { qty: '0.001', price: 'NaN' }, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    const zero = rejected(h, 3000, { qty: '0.004', price: '0.0' }, -4013, 'Price less than min price.');
    const exp = rejected(h, 4000, { qty: '1e-05' }, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[nan], [zero], [exp]]);
    expect(r.violations[0]?.message).toMatch(/bot-1 sent SELL LIMIT BTCUSDT: price "NaN" is NaN, refused -1102/);
    expect(r.violations[1]?.message).toMatch(/price "0\.0" is zero/);
    expect(r.violations[2]?.message).toMatch(/quantity "1e-05" is in exponent notation/);
  });

  it('answers unknown when the bot sent no order', () => {
    const h = new SyntheticHistory();
    h.ticks('BTCUSDT', 0, 5000, 250);
    const r = check(h);
    expect(r.valid).toBe('unknown');
  });
});
