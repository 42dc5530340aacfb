import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { exitsReduceOnly } from './exits-reduce-only.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(exitsReduceOnly, events, { ...ctx, options });

let orderId = 1;
function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, pos: string, reduceOnly: boolean, instance = 'bot-1'): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: orderId++, clientOrderId: `c${orderId}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly, positionBefore: pos },
      instance,
    );
}

/** LONG, FLAT (reduce-only), SHORT, FLAT (reduce-only). */
function cycle(): SyntheticHistory {
  const h = new SyntheticHistory();
  order(h, 1000, 'BUY', '0.016', '0', false);
  order(h, 2000, 'SELL', '0.016', '0.016', true);
  order(h, 3000, 'SELL', '0.016', '0', false);
  order(h, 4000, 'BUY', '0.016', '-0.016', true);
  return h;
}

describe('exits-reduce-only', () => {
  it('is registered and cites M2', () => {
    expect(checker('exits-reduce-only')).toBe(exitsReduceOnly);
    expect(exitsReduceOnly.findings).toEqual(['001_0474a2fd1532b929.txt#M2']);
  });

  it('passes when every exit is reduce-only, a reduce-only exit larger than the position included', () => {
    const h = cycle();
    order(h, 5000, 'BUY', '0.016', '0', false);
    order(h, 6000, 'SELL', '0.032', '0.016', true); // the venue cuts it to the position
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ exits: 3, reduceOnlyExits: 3, flips: 0 });
  });

  it('fails a plain order that flips the position through zero', () => {
    const h = new SyntheticHistory();
    order(h, 1000, 'BUY', '0.016', '0', false);
    const flip = order(h, 3000, 'SELL', '0.032', '0.016', false);
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([flip]);
    expect(r.violations[0]?.message).toContain('flipped its BTCUSDT position 0.016 -> -0.016');
    expect(r.stats.flips).toBe(1);
  });

  it('fails a plain exit that only reduces, and judges each order on its own instance', () => {
    const h = new SyntheticHistory();
    const plain = order(h, 2000, 'BUY', '0.008', '-0.016', false);
    order(h, 2000, 'SELL', '0.016', '0', false, 'bot-2'); // an entry of another instance
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[plain]]);
    expect(r.violations[0]?.message).toContain('not reduce-only');
    expect(r.stats).toMatchObject({ plainExits: 1, flips: 0 });
  });

  it('is unknown when no order reduced a position', () => {
    const h = new SyntheticHistory();
    order(h, 1000, 'BUY', '0.016', '0', false);
    order(h, 2000, 'BUY', '0.016', '0.016', false);
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toContain('no exit');
    expect(check([]).valid).toBe('unknown');
  });
});
