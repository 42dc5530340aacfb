import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { exposureWithinLimits } from './exposure-within-limits.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const LIMITS = { maxOrderNotionalUsd: 1500, maxExposureNotionalUsd: 1100 };
const check = (events: HistoryEvent[], options: Record<string, unknown> = LIMITS) => runCheck(exposureWithinLimits, events, { ...ctx, options });

let orderId = 1;
function tick(h: SyntheticHistory, t: number, mid: number): number {
  return h.at(t).add('market', 'tick', { symbol: 'BTCUSDT', i: t, bid: String(mid - 0.1), ask: String(mid + 0.1), mid: String(mid) });
}
function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, pos: string, reduceOnly = false): { seq: number; id: number } {
  const id = orderId++;
  const seq = h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly, positionBefore: pos },
      'bot-1',
    );
  return { seq, id };
}
function fill(h: SyntheticHistory, t: number, id: number, side: 'BUY' | 'SELL', last: string, cum: string, status: string, after: string): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.fill',
      { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side, lastQty: last, lastPrice: '60000', cumQty: cum, status, positionAfter: after },
      'bot-1',
    );
}

/** LONG, FLAT, SHORT, FLAT at 0.016 BTC (~960 USD), every order filled at once. */
function cycle(): SyntheticHistory {
  const h = new SyntheticHistory();
  tick(h, 500, 60_000);
  const steps: ['BUY' | 'SELL', string, boolean, string][] = [
    ['BUY', '0', false, '0.016'],
    ['SELL', '0.016', true, '0'],
    ['SELL', '0', false, '-0.016'],
    ['BUY', '-0.016', true, '0'],
  ];
  steps.forEach(([side, pos, ro, after], i) => {
    const o = order(h, 1000 * (i + 1), side, '0.016', pos, ro);
    fill(h, 1000 * (i + 1) + 5, o.id, side, '0.016', '0.016', 'FILLED', after);
  });
  return h;
}

describe('exposure-within-limits', () => {
  it('is registered and cites S-C1, R3 and the pre-trade exposure finding', () => {
    expect(checker('exposure-within-limits')).toBe(exposureWithinLimits);
    expect(exposureWithinLimits.findings).toEqual([
      '000_2ae31cbfe79758d1.txt#S-C1',
      '002_3e6ca2bf6dfde12d.txt#R3',
      '003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all',
    ]);
  });

  it('passes a cycle that stays within both limits, reduce-only exits not judged', () => {
    const r = check(cycle().events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ orders: 4, riskOrders: 2, judged: 2, withPending: 0, maxOrderUsd: 960, maxExposureUsd: 960 });
  });

  it('fails an order opened while the rest of an earlier one is still pending (R3, pre-trade exposure)', () => {
    const h = new SyntheticHistory();
    tick(h, 500, 60_000);
    const first = order(h, 1000, 'SELL', '0.016', '0');
    fill(h, 1001, first.id, 'SELL', '0.008', '0.008', 'PARTIALLY_FILLED', '-0.008');
    const exit = order(h, 2000, 'BUY', '0.008', '-0.008', true);
    fill(h, 2001, exit.id, 'BUY', '0.008', '0.008', 'FILLED', '0');
    const t = tick(h, 7000, 60_000);
    const again = order(h, 8000, 'SELL', '0.016', '0');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([again.seq, t, first.seq]);
    expect(r.violations[0]?.message).toMatch(
      /exposure to -0\.024 \(position 0 \+ -0\.008 still pending in 1 working order\(s\) \+ SELL 0\.016\) = 1440 USD, above the limit 1100/,
    );
    expect(r.stats).toMatchObject({ withPending: 1, overExposed: 1, oversized: 0 });
  });

  it('does not count the rest of an order once the venue expired it, nor working orders on the other side', () => {
    const h = new SyntheticHistory();
    tick(h, 500, 60_000);
    const first = order(h, 1000, 'SELL', '0.016', '0');
    fill(h, 1001, first.id, 'SELL', '0.008', '0.008', 'PARTIALLY_FILLED', '-0.008');
    h.at(1002).add('venue', 'order.cancel', { orderId: first.id, clientOrderId: `c${first.id}`, symbol: 'BTCUSDT', reason: 'expired' }, 'bot-1');
    order(h, 2000, 'BUY', '0.004', '-0.008', true); // working, reduce-only, opposite side
    order(h, 3000, 'SELL', '0.008', '-0.008');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ judged: 2, withPending: 0, maxExposureUsd: 960 });
  });

  it('fails an order whose notional at the market mid is above the cap (a scaled price print, S-C1)', () => {
    const h = new SyntheticHistory();
    const t = tick(h, 500, 60_000);
    const big = order(h, 1000, 'BUY', '0.166', '0');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([big.seq, t]);
    expect(r.violations[0]?.message).toMatch(/notional 9960 USD is above the max order notional 1500 USD; it takes the exposure to 0\.166/);
    expect(r.stats).toMatchObject({ oversized: 1, overExposed: 1 });
    // Only the order cap configured: judged on that alone.
    expect(check(h.events, { maxOrderNotionalUsd: 20_000 }).valid).toBe(true);
  });

  it('is unknown without a risk-increasing order or without a market price, and needs a limit', () => {
    const h = new SyntheticHistory();
    order(h, 1000, 'BUY', '0.016', '0');
    expect(check(h.events).valid).toBe('unknown');
    expect(check([]).valid).toBe('unknown');
    // In a scenario with faults: only orders after a fault took effect put the limits to the test.
    const withFaults = { ...ctx, options: LIMITS, scenario: { id: 'synthetic', faults: [{ kind: 'partial-fills' }] } as unknown as Scenario };
    const quiet = runCheck(exposureWithinLimits, cycle().events, withFaults);
    expect(quiet.valid).toBe('unknown');
    expect(quiet.notes[0]).toMatch(/after the scenario’s faults took effect/);
    const h2 = cycle();
    h2.at(4500).add('fault', 'fault.start', { id: 'f1', kind: 'partial-fills', params: {} });
    tick(h2, 4600, 60_000);
    order(h2, 5000, 'BUY', '0.016', '0');
    expect(runCheck(exposureWithinLimits, h2.events, withFaults)).toMatchObject({ valid: true, stats: { faults: 1, judgedUnderFault: 1 } });
    expect(() => exposureWithinLimits.check(cycle().events, { ...ctx, options: {} })).toThrow(/needs maxOrderNotionalUsd/);
  });
});
