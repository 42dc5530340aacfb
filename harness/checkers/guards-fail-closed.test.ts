import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { guardsFailClosed } from './guards-fail-closed.ts';
import { checker } from './registry.ts';

const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['rest-orders', 'probes'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(guardsFailClosed, events, { ...ctx, options });

let nextId = 1;

function read(h: SyntheticHistory, t: number, path: string, status: number, extra: Record<string, unknown> = {}): number {
  return h.at(t).add('venue', 'http.request', { method: 'GET', path, status, ...extra }, 'bot-1');
}

function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', pos: string, cid: string, reduceOnly = false): number {
  h.at(t - 5).add('target', 'probe', { probe: 'order', clientOrderId: cid, side, qty: 0.016, reduceOnly }, 'bot-1');
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: nextId++, clientOrderId: cid, symbol: 'BTCUSDT', side, type: 'MARKET', qty: '0.016', reduceOnly, positionBefore: pos },
      'bot-1',
    );
}

function fault(h: SyntheticHistory, t: number, type: 'fault.start' | 'fault.end', path: string): number {
  return h.at(t).add('fault', type, { id: 'f1', kind: 'rest-error', params: { method: 'GET', path, status: 503 } }, 'all');
}

/** Seed and balance read fine, one entry; then the balance read fails at 2000 (fault from 1900). */
function outage(): { h: SyntheticHistory; start: number; failed: number } {
  const h = new SyntheticHistory();
  read(h, 900, '/fapi/v1/income', 200);
  read(h, 950, '/fapi/v2/balance', 200);
  order(h, 1000, 'BUY', '0', 'c1');
  const start = fault(h, 1900, 'fault.start', '/fapi/v2/balance');
  const failed = read(h, 2000, '/fapi/v2/balance', 503, { code: -1001 });
  return { h, start, failed };
}

describe('guards-fail-closed', () => {
  it('is registered and cites the findings it decides', () => {
    expect(checker('guards-fail-closed')).toBe(guardsFailClosed);
    expect(guardsFailClosed.findings).toEqual([
      '003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal',
      '003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed',
      '000_2ae31cbfe79758d1.txt#E-M13',
    ]);
  });

  it('passes when no risk opens while the input is unreadable, exits allowed, and trading resumes after a good read', () => {
    const { h } = outage();
    order(h, 2500, 'SELL', '0.016', 'c2', true); // reduce-only exit while failing
    read(h, 3000, '/fapi/v2/balance', 503);
    fault(h, 3500, 'fault.end', '/fapi/v2/balance');
    read(h, 4000, '/fapi/v2/balance', 200);
    order(h, 4010, 'SELL', '0', 'c3');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ failedReads: 2, windows: 1, riskOrders: 2, riskWhileUnreadable: 0, exitsWhileUnreadable: 1 });
  });

  it('fails a risk-increasing order after a failed balance read, with order, failed read and fault as evidence', () => {
    const { h, start, failed } = outage();
    const bad = order(h, 2100, 'SELL', '0', 'c2');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([bad, failed, start]);
    expect(r.violations[0]?.message).toContain('/fapi/v2/balance failed (HTTP 503)');
  });

  it('fails trading on an unseeded daily-loss guard (failed income read never retried)', () => {
    const h = new SyntheticHistory();
    const failed = read(h, 900, '/fapi/v1/income', 503);
    read(h, 950, '/fapi/v2/balance', 200);
    const bad = order(h, 1000, 'BUY', '0', 'c1');
    read(h, 1950, '/fapi/v2/balance', 200); // another input read fine: does not close the income window
    order(h, 2000, 'SELL', '0.016', 'c2', true);
    const bad2 = order(h, 3000, 'SELL', '0', 'c3');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([
      [bad, failed],
      [bad2, failed],
    ]);
  });

  it('counts a dropped answer as a failed read and does not judge an order decided before the failure', () => {
    const h = new SyntheticHistory();
    read(h, 900, '/fapi/v2/balance', 200);
    h.at(995).add('target', 'probe', { probe: 'order', clientOrderId: 'c1', side: 'BUY', qty: 0.016, reduceOnly: false }, 'bot-1');
    read(h, 1000, '/fapi/v2/balance', 200, { dropped: true });
    h.at(1010).add(
      'venue',
      'order.new',
      { orderId: 99, clientOrderId: 'c1', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.016', reduceOnly: false, positionBefore: '0' },
      'bot-1',
    );
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ failedReads: 1, decidedBefore: 1 });
  });

  it('is unknown without guard reads, without failures, or without risk orders', () => {
    const none = new SyntheticHistory();
    order(none, 1000, 'BUY', '0', 'c1');
    expect(check(none.events).valid).toBe('unknown');

    const fine = new SyntheticHistory();
    read(fine, 900, '/fapi/v2/balance', 200);
    order(fine, 1000, 'BUY', '0', 'c1');
    expect(check(fine.events).valid).toBe('unknown');

    const idle = new SyntheticHistory();
    read(idle, 900, '/fapi/v2/balance', 503);
    expect(check(idle.events).valid).toBe('unknown');
  });

  it('reads only the configured inputs', () => {
    const { h } = outage();
    order(h, 2100, 'SELL', '0', 'c2');
    expect(check(h.events, { inputs: ['/fapi/v3/balance'] }).valid).toBe('unknown');
    const bad = check(h.events, { inputs: 'x' });
    expect(bad.valid).toBe('unknown');
    expect(bad.notes[0]).toContain('check option inputs must be a list of paths');
  });
});
