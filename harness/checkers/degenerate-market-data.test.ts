import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { noOrdersOnDegenerateData } from './degenerate-market-data.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['ws-market', 'rest-orders'], options: {} };
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(noOrdersOnDegenerateData, h.events, { ...ctx, options });

function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, pos: string, reduceOnly = false): number {
  return h
    .at(t)
    .add('venue', 'order.new', { orderId: t, clientOrderId: `c${t}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly, positionBefore: pos }, 'bot-1');
}

/**
 * bot-1 subscribed to bookTicker from 0 ms; ticks every 250 ms to `to`; the ticks in
 * [badFrom, badTo) reach it corrupted (a zero bid). Returns the seqs of the corrupt records.
 */
function feed(h: SyntheticHistory, to: number, badFrom: number, badTo: number): number[] {
  h.at(0).add('venue', 'ws.open', { connId: 1, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
  const bad: number[] = [];
  for (let t = 250, i = 0; t <= to; t += 250, i++) {
    h.at(t).add('market', 'tick', { symbol: 'BTCUSDT', i, bid: '60000.0', ask: '60000.2', mid: '60000.1' });
    if (t >= badFrom && t < badTo) {
      bad.push(h.add('venue', 'market.corrupt', { connId: 1, stream: 'btcusdt@bookticker', symbol: 'BTCUSDT', mode: 'zero', values: { b: '0.0' } }, 'bot-1'));
    }
  }
  return bad;
}

/** Events in time order (the synthetic builder appends; orders are added afterwards here). */
function sorted(h: SyntheticHistory): SyntheticHistory {
  const out = new SyntheticHistory();
  for (const e of [...h.events].sort((a, b) => a.t - b.t || a.seq - b.seq)) out.at(e.t).add(e.src, e.type, e.data, e.instance);
  return out;
}

describe('no-orders-on-degenerate-data', () => {
  it('is registered and cites the zero-division and validation findings', () => {
    expect(checker('no-orders-on-degenerate-data')).toBe(noOrdersOnDegenerateData);
    expect(noOrdersOnDegenerateData.findings).toEqual([
      '000_2ae31cbfe79758d1.txt#S-M1',
      '000_2ae31cbfe79758d1.txt#S-M6',
      '004_8a8a9a4995486b8f.txt#M-ADAPTER-01',
    ]);
  });

  it('passes when the bot opens risk only once a sane price followed the degenerate ones', () => {
    const h = new SyntheticHistory();
    feed(h, 8000, 2000, 5000);
    order(h, 1100, 'BUY', '0.016', '0');
    order(h, 3100, 'SELL', '0.016', '0.016', true); // reduce-only exit on degenerate data: allowed
    order(h, 5600, 'SELL', '0.016', '0');
    const r = check(sorted(h));
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ corruptDeliveries: 12, riskIncreasing: 2, judged: 1, onDegenerate: 0 });
  });

  it('fails on a risk-increasing order while the last price it was sent is degenerate', () => {
    const h = new SyntheticHistory();
    feed(h, 8000, 2000, 5000);
    order(h, 3100, 'BUY', '0.033', '0');
    const s = sorted(h);
    const r = check(s);
    expect(r.valid).toBe(false);
    const [v] = r.violations;
    const [orderSeq, badSeq] = v?.evidence ?? [];
    expect(s.events[orderSeq as number]?.type).toBe('order.new');
    expect(s.events[badSeq as number]?.type).toBe('market.corrupt');
    expect(s.events[badSeq as number]?.t).toBe(3000); // the newest degenerate price before the order
    expect(v?.message).toMatch(/BUY 0\.033 BTCUSDT .* degenerate price \{"b":"0\.0"\}/);
  });

  it('a sane tick on a feed that is cut does not count as sane', () => {
    const h = new SyntheticHistory();
    feed(h, 8000, 2000, 3000);
    h.at(2900).add('fault', 'fault.start', { id: 'f1', kind: 'ws-disconnect', params: {}, impairs: ['market-data'] }, 'bot-1');
    h.at(6000).add('fault', 'fault.end', { id: 'f1', kind: 'ws-disconnect', params: {} }, 'bot-1');
    order(h, 4100, 'BUY', '0.033', '0');
    expect(check(sorted(h)).valid).toBe(false);
  });

  it('past windowMs after the last degenerate price the order is not attributed to it', () => {
    const h = new SyntheticHistory();
    h.at(0).add('venue', 'ws.open', { connId: 1, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
    h.at(1000).add(
      'venue',
      'market.corrupt',
      { connId: 1, stream: 'btcusdt@bookticker', symbol: 'BTCUSDT', mode: 'nan', values: { b: 'NaN', a: 'NaN' } },
      'bot-1',
    );
    order(h, 7000, 'BUY', '0.016', '0');
    expect(check(h).valid).toBe(true);
    expect(check(h, { windowMs: 10_000 }).valid).toBe(false);
  });

  it('is unknown when no degenerate price was delivered, or no risk-increasing order followed one', () => {
    const clean = new SyntheticHistory();
    feed(clean, 4000, 0, 0);
    order(clean, 2100, 'BUY', '0.016', '0');
    const a = check(sorted(clean));
    expect(a.valid).toBe('unknown');
    expect(a.notes[0]).toMatch(/never took effect/);
    const quiet = new SyntheticHistory();
    feed(quiet, 4000, 1000, 2000);
    order(quiet, 500, 'BUY', '0.016', '0');
    const b = check(sorted(quiet));
    expect(b.valid).toBe('unknown');
    expect(b.notes[0]).toMatch(/nothing to judge/);
  });
});
