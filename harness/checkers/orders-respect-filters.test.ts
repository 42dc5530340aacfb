import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { ordersRespectFilters } from './orders-respect-filters.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(ordersRespectFilters, h.events, ctx);

function accepted(h: SyntheticHistory, t: number, qty: string): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: t, clientOrderId: `c${t}`, symbol: 'QTRUSDT', side: 'BUY', type: 'MARKET', qty, reduceOnly: false, positionBefore: '0' },
      'bot-1',
    );
}

function rejected(h: SyntheticHistory, t: number, qty: string, code: number, msg: string): number {
  return h.at(t).add('venue', 'order.reject', { symbol: 'QTRUSDT', side: 'BUY', type: 'MARKET', qty, reduceOnly: false, code, msg }, 'bot-1');
}

describe('orders-respect-filters', () => {
  it('is registered and cites the quantize finding', () => {
    expect(checker('orders-respect-filters')).toBe(ordersRespectFilters);
    expect(ordersRespectFilters.findings).toContain('003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with');
  });

  it('passes when every order is accepted, and ignores rejects that are not filter failures', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, '6.25');
    rejected(h, 2000, '6.25', -2019, 'Margin is insufficient.');
    accepted(h, 3000, '6.50');
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ accepted: 2, rejected: 1, filterRejects: 0 });
  });

  it('fails on an off-grid quantity, with the reject as evidence', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, '6.25');
    const bad = rejected(h, 2000, '6.36', -4023, 'Qty not increased by step size.');
    const prec = rejected(h, 3000, '0.30000000000000004', -1111, 'Precision is over the maximum defined for this asset.');
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[bad], [prec]]);
    expect(r.violations[0]?.message).toMatch(/BUY MARKET 6\.36 QTRUSDT, refused -4023 \(LOT_SIZE: quantity not a multiple of stepSize\)/);
    expect(r.stats.filterRejects).toBe(2);
  });

  it('fails an order sized on default metadata while a slow filters refresh was in flight (S-H1), between accepted ones', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, '6.25');
    // A market reconnect triggered an exchangeInfo refresh; the cache read in between gave stepSize 0.001.
    const bad = rejected(h, 3000, '6.369', -1111, 'Precision is over the maximum defined for this asset.');
    h.at(4000).add('venue', 'http.request', { method: 'GET', path: '/fapi/v1/exchangeInfo', status: 200 }, 'bot-1');
    accepted(h, 5000, '6.25');
    const r = check(h);
    expect(ordersRespectFilters.findings).toContain('000_2ae31cbfe79758d1.txt#S-H1');
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[bad]]);
    expect(r.stats).toMatchObject({ accepted: 2, filterRejects: 1 });
  });

  it('fails on an off-tick price too', () => {
    const h = new SyntheticHistory();
    const seq = h
      .at(500)
      .add(
        'venue',
        'order.reject',
        { symbol: 'QTRUSDT', side: 'SELL', type: 'LIMIT', qty: '1', price: '157.01', code: -4014, msg: 'Price not increased by tick size.' },
        'bot-1',
      );
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([seq]);
    expect(r.violations[0]?.message).toContain('@ 157.01');
  });

  it('is unknown when the bot placed no order', () => {
    const h = new SyntheticHistory();
    h.ticks('QTRUSDT', 0, 2000, 250);
    const r = check(h);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no order/);
  });
});
