import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { paginationFollowed } from './pagination-followed.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(paginationFollowed, h.events, ctx);
const INCOME = '/fapi/v1/income';

const page = (h: SyntheticHistory, t: number, p: { rows: number; limit: number; page?: number; startTime?: number; fromId?: number }, path = INCOME) =>
  h.at(t).add('venue', 'http.request', { method: 'GET', path, status: 200, fp: 'x', page: p }, 'bot-1');
const opening = (h: SyntheticHistory, t: number) =>
  h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: t, clientOrderId: `c${t}`, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.01', reduceOnly: false, positionBefore: '0' },
      'bot-1',
    );

describe('pagination-followed', () => {
  it('is registered and cites the single-page findings', () => {
    expect(checker('pagination-followed')).toBe(paginationFollowed);
    expect(paginationFollowed.findings).toEqual([
      '003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and',
      '003_a7371304fd1017c8.txt#get-positions-returns-only-one-response-page-and',
    ]);
  });

  it('passes a reader that pages to the end before it trades, by page number or by fromId', () => {
    const h = new SyntheticHistory();
    page(h, 100, { rows: 1000, limit: 1000, page: 1, startTime: 5 });
    page(h, 150, { rows: 1000, limit: 1000, page: 2, startTime: 5 });
    page(h, 200, { rows: 500, limit: 1000, page: 3, startTime: 5 });
    page(h, 300, { rows: 500, limit: 500, startTime: 5 }, '/fapi/v1/userTrades');
    page(h, 350, { rows: 12, limit: 500, fromId: 4001 }, '/fapi/v1/userTrades');
    opening(h, 1000);
    h.at(9000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ pages: 5, fullPages: 3, followed: 3 });
  });

  it('fails a reader that stops at the first full page, and one that trades before the next page', () => {
    const stops = new SyntheticHistory();
    const full = page(stops, 100, { rows: 1000, limit: 1000, page: 1, startTime: 5 });
    page(stops, 2000, { rows: 1000, limit: 1000, page: 1, startTime: 5 }); // asks for the same page again
    opening(stops, 3000);
    stops.at(9000).add('harness', 'scenario.window.end', {});
    const r = check(stops);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([full]);
    expect(r.violations[0]?.message).toMatch(/read a full page of \/fapi\/v1\/income \(1000 of limit 1000\) and never asked for the next one within 5000 ms/);

    const hasty = new SyntheticHistory();
    const first = page(hasty, 100, { rows: 1000, limit: 1000, page: 1 });
    const order = opening(hasty, 200);
    page(hasty, 300, { rows: 10, limit: 1000, page: 2 });
    hasty.at(9000).add('harness', 'scenario.window.end', {});
    const h2 = check(hasty);
    expect(h2.valid).toBe(false);
    expect(h2.violations[0]?.evidence).toEqual([first, order]);
    expect(h2.violations[0]?.message).toMatch(/placed BUY 0\.01 BTCUSDT 100 ms after a full page of \/fapi\/v1\/income and before reading the next one/);
  });

  it('answers unknown when no page was full, or the last full page came too late to judge', () => {
    const small = new SyntheticHistory();
    page(small, 100, { rows: 3, limit: 1000, page: 1 });
    small.at(9000).add('harness', 'scenario.window.end', {});
    expect(check(small).valid).toBe('unknown');
    const late = new SyntheticHistory();
    page(late, 8000, { rows: 1000, limit: 1000, page: 1 });
    late.at(9000).add('harness', 'scenario.window.end', {});
    expect(check(late).valid).toBe('unknown');
  });
});
