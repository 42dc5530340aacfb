import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { positionMatchesVenue } from './position-matches-venue.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes', 'rest-orders'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(positionMatchesVenue, events, { ...ctx, options });

function order(h: SyntheticHistory, t: number, orderId: number, side: 'BUY' | 'SELL', qty: string, pos: string, reduceOnly = false): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId, clientOrderId: `c${orderId}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly, positionBefore: pos },
      'bot-1',
    );
}
function fill(h: SyntheticHistory, t: number, orderId: number, side: 'BUY' | 'SELL', last: string, cum: string, after: string, full: boolean): number {
  return h.at(t).add(
    'venue',
    'order.fill',
    {
      orderId,
      clientOrderId: `c${orderId}`,
      symbol: 'BTCUSDT',
      side,
      lastQty: last,
      lastPrice: '60000',
      cumQty: cum,
      status: full ? 'FILLED' : 'PARTIALLY_FILLED',
      positionAfter: after,
      realizedPnl: '0',
      commission: '0',
      maker: false,
    },
    'bot-1',
  );
}
const cancel = (h: SyntheticHistory, t: number, orderId: number) =>
  h.at(t).add('venue', 'order.cancel', { orderId, clientOrderId: `c${orderId}`, symbol: 'BTCUSDT', reason: 'expired' }, 'bot-1');
const probe = (h: SyntheticHistory, t: number, position: string, instance = 'bot-1') =>
  h.at(t).add('target', 'probe', { probe: 'position', symbol: 'BTCUSDT', position }, instance);

/** BUY 0.016 fills 0.004 twice, then the rest expires: the venue holds 0.008. */
function partialLong(): { h: SyntheticHistory; lastFill: number; firstFill: number } {
  const h = new SyntheticHistory();
  probe(h, 900, '0');
  order(h, 1000, 1, 'BUY', '0.016', '0');
  const firstFill = fill(h, 1000, 1, 'BUY', '0.004', '0.004', '0.004', false);
  const lastFill = fill(h, 1200, 1, 'BUY', '0.004', '0.008', '0.008', false);
  probe(h, 1300, '0.008'); // the order is still working: not judged
  cancel(h, 1400, 1);
  return { h, lastFill, firstFill };
}

describe('position-matches-venue', () => {
  it('is registered and cites the fills findings', () => {
    expect(checker('position-matches-venue')).toBe(positionMatchesVenue);
    expect(positionMatchesVenue.findings).toContain('004_8a8a9a4995486b8f.txt#C-PORT-03');
    expect(positionMatchesVenue.findings).toContain('004_8a8a9a4995486b8f.txt#H-ENG-04');
  });

  it('passes when the bot follows the cumulative fills', () => {
    const { h } = partialLong();
    probe(h, 2000, '0.008');
    order(h, 2100, 2, 'SELL', '0.008', '0.008', true);
    fill(h, 2100, 2, 'SELL', '0.008', '0.008', '0', true);
    probe(h, 3000, '0');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ judged: 2, notQuiet: 1, beforeFirstOrder: 1, partialFills: 2, mismatches: 0 });
  });

  it('fails when the bot books the whole order on a partial fill, once per divergence', () => {
    const { h, lastFill, firstFill } = partialLong();
    const p = probe(h, 2000, '0.016');
    probe(h, 3000, '0.016'); // the same divergence: no second violation
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([p, lastFill]);
    expect(r.violations[0]?.message).toContain('position of 0.016 but the venue holds 0.008');
    expect(r.stats).toMatchObject({ mismatches: 2, divergences: 1 });
    expect(firstFill).toBeLessThan(lastFill);
  });

  it('names the last partial fill as evidence when a later event set the position', () => {
    const { h } = partialLong();
    const o = order(h, 2000, 2, 'SELL', '0.016', '0.008', true); // reduce-only cut to 0.008
    const partial = fill(h, 2000, 2, 'SELL', '0.008', '0.008', '0', false);
    cancel(h, 2000, 2);
    const p = probe(h, 3000, '0.008');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([p, partial]);
    expect(o).toBeLessThan(partial);
  });

  it('does not judge probes right after an order event (settleMs) and respects the tolerance', () => {
    const { h } = partialLong();
    probe(h, 1600, '0.016');
    expect(check(h.events).valid).toBe('unknown');
    expect(check(h.events, { settleMs: 100 }).valid).toBe(false);
    expect(check(h.events, { settleMs: 100, tolerance: 0.01 }).valid).toBe(true);
  });

  it('is unknown without position probes, without fills, or without a quiet probe', () => {
    const h = new SyntheticHistory();
    order(h, 1000, 1, 'BUY', '0.016', '0');
    fill(h, 1000, 1, 'BUY', '0.016', '0.016', '0.016', true);
    expect(check(h.events).notes[0]).toContain('no position probes');
    const rejected = new SyntheticHistory();
    order(rejected, 1000, 1, 'BUY', '0.016', '0');
    cancel(rejected, 1000, 1);
    probe(rejected, 2000, '0');
    expect(check(rejected.events).valid).toBe('unknown');
    const { h: busy } = partialLong();
    expect(check(busy.events).valid).toBe('unknown');
  });

  it('compares each instance with its own venue position', () => {
    const { h } = partialLong();
    probe(h, 2000, '0.008');
    probe(h, 2000, '0.5', 'bot-2'); // bot-2 never traded
    expect(check(h.events).valid).toBe(true);
  });
});
