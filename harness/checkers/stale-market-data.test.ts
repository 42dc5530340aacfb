import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { staleMarketData } from './stale-market-data.ts';

const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['ws-market'], options: { graceMs: 2000 } };
const check = (events: HistoryEvent[], c = ctx) => runCheck(staleMarketData, events, c);

function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, positionBefore: string, reduceOnly = false) {
  return h
    .at(t)
    .add('venue', 'order.new', { orderId: t, clientOrderId: `c${t}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly, positionBefore }, 'bot-1');
}

/** Connected market feed from t=0 with ticks every 250 ms until `until`. */
function connected(until: number): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(0).add('venue', 'ws.open', { connId: 1, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
  h.ticks('BTCUSDT', 0, until, 250);
  return h;
}

/** A market-ws fault from `from` to `to`, the connection dropped at `from` and reopened at `to`. */
function outage(h: SyntheticHistory, from: number, to: number) {
  h.at(from).add('fault', 'fault.start', { id: 'f1', kind: 'ws-disconnect', link: 'market-ws', params: {} }, 'bot-1');
  h.at(from).add('venue', 'ws.close', { connId: 1, kind: 'market' }, 'bot-1');
  h.at(to).add('fault', 'fault.end', { id: 'f1', kind: 'ws-disconnect', link: 'market-ws', params: {} }, 'bot-1');
  h.at(to + 100).add('venue', 'ws.open', { connId: 2, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
}

function sorted(h: SyntheticHistory): HistoryEvent[] {
  return [...h.events].sort((a, b) => a.t - b.t || a.seq - b.seq);
}

describe('no-risk-on-stale-market-data (000_2ae31cbfe79758d1.txt#S-C2)', () => {
  it('flags a risk-increasing order sent during an outage, with evidence', () => {
    const h = connected(3000);
    outage(h, 3000, 9000);
    h.ticks('BTCUSDT', 9250, 12000, 250);
    order(h, 1000, 'BUY', '0.010', '0');
    const bad = order(h, 6000, 'BUY', '0.010', '0');
    const r = check(sorted(h));
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence[0]).toBe(bad);
    expect(r.violations[0]?.message).toMatch(/3000 ms stale/);
    expect(r.violations[0]?.evidence.length).toBe(3);
  });

  it('passes a bot that only reduces during the outage and trades again after', () => {
    const h = connected(3000);
    outage(h, 3000, 9000);
    h.ticks('BTCUSDT', 9250, 12000, 250);
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 6000, 'SELL', '0.010', '0.010', true);
    order(h, 11000, 'SELL', '0.010', '0');
    const r = check(sorted(h));
    expect(r.valid).toBe(true);
    expect(r.stats.staleWindows).toBe(1);
  });

  it('allows orders within the grace period after the feed drops', () => {
    const h = connected(3000);
    outage(h, 3000, 9000);
    h.ticks('BTCUSDT', 9250, 12000, 250);
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 4500, 'BUY', '0.010', '0.010');
    expect(check(sorted(h)).valid).toBe(true);
  });

  it('counts a flip through flat as risk-increasing', () => {
    const h = connected(3000);
    outage(h, 3000, 9000);
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 7000, 'SELL', '0.020', '0.010');
    expect(check(sorted(h)).valid).toBe(false);
  });

  it('treats a fault on the link as stale even if the venue still sees the socket (half-open)', () => {
    const h = connected(12000);
    h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'ws-stall', link: 'market-ws', params: {} }, 'bot-1');
    h.at(9000).add('fault', 'fault.end', { id: 'f1', kind: 'ws-stall', link: 'market-ws', params: {} }, 'bot-1');
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 6000, 'BUY', '0.010', '0.010');
    expect(check(sorted(h)).valid).toBe(false);
  });

  it('flags risk taken before any market data was delivered', () => {
    const h = new SyntheticHistory();
    h.ticks('BTCUSDT', 0, 1000, 250);
    order(h, 500, 'BUY', '0.010', '0');
    const r = check(sorted(h));
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/never delivered/);
  });

  it('is unknown, not valid, when no outage ever happened', () => {
    const h = connected(10000);
    order(h, 1000, 'BUY', '0.010', '0');
    const r = check(sorted(h));
    expect(r.valid).toBe('unknown');
    expect(r.notes.join()).toMatch(/not exercised/);
  });

  it('is unknown, not valid, when the bot never opened risk', () => {
    const h = connected(3000);
    outage(h, 3000, 9000);
    expect(check(sorted(h)).valid).toBe('unknown');
  });

  it('is unknown when the target has no market stream capability', () => {
    const h = connected(3000);
    order(h, 1000, 'BUY', '0.010', '0');
    expect(check(sorted(h), { ...ctx, capabilities: [] }).valid).toBe('unknown');
  });

  it('ignores streams that carry no per-tick prices for the symbol', () => {
    const h = new SyntheticHistory();
    h.at(0).add(
      'venue',
      'ws.open',
      { connId: 1, kind: 'market', path: '/ws/ethusdt@bookTicker', streams: ['ethusdt@bookticker', 'btcusdt@forceorder'] },
      'bot-1',
    );
    h.ticks('BTCUSDT', 0, 2000, 250);
    order(h, 1500, 'BUY', '0.010', '0');
    expect(check(sorted(h)).valid).toBe(false);
  });
});

describe('no-risk-on-stale-market-data window', () => {
  it('does not count the bot’s own shutdown after the window as an exercised outage', () => {
    const h = connected(10000);
    order(h, 1000, 'BUY', '0.010', '0');
    h.at(10000).add('harness', 'scenario.window.end', {});
    h.at(10100).add('venue', 'ws.close', { connId: 1, kind: 'market' }, 'bot-1');
    h.at(20000).add('harness', 'scenario.end', {});
    expect(check(sorted(h)).valid).toBe('unknown');
  });
});

describe('no-risk-on-stale-market-data and what faults impair', () => {
  it('counts a venue-side pause (no link, impairs market-data) as stale even though the socket stays open', () => {
    const h = connected(12000);
    h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'venue-market-pause', impairs: ['market-data'], params: {} }, 'bot-1');
    h.at(9000).add('fault', 'fault.end', { id: 'f1', kind: 'venue-market-pause', params: {} }, 'bot-1');
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 6000, 'BUY', '0.010', '0.010');
    expect(check(sorted(h)).valid).toBe(false);
  });

  it('sees the feed live again after a pause whose end event carries no impairs (data arrives again)', () => {
    const h = connected(12000);
    h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'venue-market-pause', impairs: ['market-data'], params: {} }, 'bot-1');
    h.at(9000).add('fault', 'fault.end', { id: 'f1', kind: 'venue-market-pause', params: {} }, 'bot-1');
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 10000, 'SELL', '0.010', '0');
    const r = check(sorted(h));
    expect(r.valid).toBe(true);
    expect(r.stats.staleWindows).toBe(1);
  });

  it('does not count a degradation on the market link (impairs nothing) as stale', () => {
    const h = connected(12000);
    h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'link-latency', link: 'market-ws', impairs: [], params: {} }, 'bot-1');
    h.at(9000).add('fault', 'fault.end', { id: 'f1', kind: 'link-latency', link: 'market-ws', params: {} }, 'bot-1');
    order(h, 1000, 'BUY', '0.010', '0');
    order(h, 6000, 'BUY', '0.010', '0.010');
    expect(check(sorted(h)).valid).toBe('unknown');
  });
});
