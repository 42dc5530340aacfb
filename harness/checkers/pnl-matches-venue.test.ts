import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { pnlMatchesVenue } from './pnl-matches-venue.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes', 'rest-orders'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(pnlMatchesVenue, events, { ...ctx, options });

let orderId = 1;
/** One order filled at once; returns the fill's seq. */
function trade(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', price: string, pos: string, after: string, realizedPnl: string): number {
  const id = orderId++;
  const base = { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side };
  h.at(t).add('venue', 'order.new', { ...base, type: 'MARKET', qty: '0.016', reduceOnly: false, positionBefore: pos }, 'bot-1');
  return h
    .at(t + 2)
    .add('venue', 'order.fill', { ...base, lastQty: '0.016', lastPrice: price, cumQty: '0.016', status: 'FILLED', positionAfter: after, realizedPnl }, 'bot-1');
}
function pnl(h: SyntheticHistory, t: number, realized: string): number {
  return h.at(t).add('target', 'probe', { probe: 'pnl', symbol: 'BTCUSDT', realized }, 'bot-1');
}

/** A winning long (+0.16), then a losing short (-0.32): the bot reports `shortPnl` for the short. */
function cycle(shortPnl: string): { h: SyntheticHistory; shortClose: number; probe: number } {
  const h = new SyntheticHistory();
  pnl(h, 900, '0');
  trade(h, 1000, 'BUY', '60000', '0', '0.016', '0');
  trade(h, 2000, 'SELL', '60010', '0.016', '0', '0.16');
  pnl(h, 2900, '0.16');
  trade(h, 3000, 'SELL', '60000', '0', '-0.016', '0');
  const shortClose = trade(h, 4000, 'BUY', '60020', '-0.016', '0', '-0.32');
  pnl(h, 4300, shortPnl); // not quiet yet: not judged
  const probe = pnl(h, 4900, shortPnl);
  return { h, shortClose, probe };
}

describe('pnl-matches-venue', () => {
  it('is registered and cites H-PORT-01', () => {
    expect(checker('pnl-matches-venue')).toBe(pnlMatchesVenue);
    expect(pnlMatchesVenue.findings).toEqual(['004_8a8a9a4995486b8f.txt#H-PORT-01']);
  });

  it('passes when the reported realized PnL follows the venue’s, shorts included', () => {
    const r = check(cycle('-0.16').h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ judged: 2, notQuiet: 1, closes: 2, shortCloses: 1, mismatches: 0 });
  });

  it('fails when a losing short is booked as a profit (the long formula), once per divergence', () => {
    const { h, shortClose, probe } = cycle('0.48');
    pnl(h, 5900, '0.48'); // same divergence: not reported again
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([probe, shortClose]);
    expect(r.violations[0]?.message).toMatch(
      /realized BTCUSDT PnL of 0\.48 USD but its fills realized -0\.16 USD at the venue \(off by 0\.64; 2 closing fill\(s\), 1 of them closing a short\)/,
    );
    expect(r.stats).toMatchObject({ mismatches: 2, divergences: 1 });
  });

  it('is unknown without pnl probes or before anything was closed', () => {
    const { h } = cycle('-0.16');
    expect(check(h.events.filter((e) => e.type !== 'probe')).valid).toBe('unknown');
    const open = new SyntheticHistory();
    trade(open, 1000, 'BUY', '60000', '0', '0.016', '0');
    pnl(open, 2000, '0');
    expect(check(open.events).valid).toBe('unknown');
  });
});
