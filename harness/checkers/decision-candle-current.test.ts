import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { decisionCandleCurrent } from './decision-candle-current.ts';
import { checker } from './registry.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes'], options });
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(decisionCandleCurrent, h.events, ctx(options));

/** Ticks every 250 ms from `from` to `to`, the mid rising 10 per tick from `start`. */
function ticks(h: SyntheticHistory, from: number, to: number, start: number): void {
  for (let t = from, mid = start; t <= to; t += 250, mid += 10)
    h.at(t).add('market', 'tick', { symbol: 'BTCUSDT', i: t / 250, bid: String(mid - 0.05), ask: String(mid + 0.05), mid: String(mid) });
}

function decision(h: SyntheticHistory, t: number, n: number, close: number | undefined, reduceOnly = false, source = 'ws'): number {
  const cid = `rb-bot-1-${n}`;
  const candle = close === undefined ? {} : { candle: { interval: '1m', openTime: 1_763_800_000_000, close, source } };
  const seq = h.at(t).add('target', 'probe', { probe: 'order', clientOrderId: cid, side: 'BUY', qty: 0.016, reduceOnly, ...candle }, 'bot-1');
  h.at(t + 5).add(
    'venue',
    'order.new',
    { orderId: n, clientOrderId: cid, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.016', reduceOnly, positionBefore: '0' },
    'bot-1',
  );
  return seq;
}

describe('decision-candle-current', () => {
  it('is registered and cites the kline-overlay finding', () => {
    expect(checker('decision-candle-current')).toBe(decisionCandleCurrent);
    expect(decisionCandleCurrent.findings).toEqual(['003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15']);
  });

  it('passes decisions whose candle close is a recent tick mid (a kline push may trail the tick)', () => {
    const h = new SyntheticHistory();
    ticks(h, 0, 10_000, 60_000); // mid at t = 60_000 + t / 25
    decision(h, 3010, 1, 60_120); // the tick at 3000
    decision(h, 6010, 2, 60_230); // the tick at 5750: 260 ms old
    decision(h, 7010, 3, 59_000, true); // an exit: not judged
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ candleDecisions: 2, current: 2, stale: 0 });
    expect(r.notes.join(' ')).toMatch(/2 decision\(s\) on ws candles/);
  });

  it('fails a decision on an old candle, with the probe and the tick that last had its close', () => {
    const h = new SyntheticHistory();
    ticks(h, 0, 10_000, 60_000);
    const probe = decision(h, 8010, 1, 60_020, false, 'rest'); // the tick at 500, 7.5 s earlier
    const never = decision(h, 9010, 2, 61_234.5, false, 'rest');
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(2);
    const tickAt500 = h.events.find((e) => e.type === 'tick' && e.t === 500)?.seq;
    expect(r.violations[0]?.evidence).toEqual([probe, tickAt500]);
    expect(r.violations[0]?.message).toMatch(/source rest\), close 60020: the venue’s price was last 60020 7510 ms before; its price then was 60320/);
    expect(r.violations[1]?.evidence).toEqual([never]);
    expect(r.violations[1]?.message).toMatch(/a price no tick of BTCUSDT had/);
    expect(r.stats).toMatchObject({ stale: 1, neverSeen: 1 });
  });

  it('honours maxAgeMs', () => {
    const h = new SyntheticHistory();
    ticks(h, 0, 10_000, 60_000);
    decision(h, 6010, 1, 60_200); // the tick at 5000: 1010 ms old
    expect(check(h).valid).toBe(true);
    expect(check(h, { maxAgeMs: 800 }).valid).toBe(false);
  });

  it('answers unknown without a candle basis or without ticks', () => {
    const h = new SyntheticHistory();
    ticks(h, 0, 3000, 60_000);
    decision(h, 2010, 1, undefined);
    expect(check(h).valid).toBe('unknown');
    const bare = new SyntheticHistory();
    decision(bare, 2010, 1, 60_000);
    expect(check(bare).valid).toBe('unknown');
  });
});
