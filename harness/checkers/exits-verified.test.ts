import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { exitsVerified } from './exits-verified.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders', 'probes'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(exitsVerified, events, { ...ctx, options });

let orderId = 1;
function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, pos: string, reduceOnly: boolean, after?: string): number {
  const id = orderId++;
  const base = { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side };
  const seq = h.at(t).add('venue', 'order.new', { ...base, type: 'MARKET', qty, reduceOnly, positionBefore: pos }, 'bot-1');
  if (after !== undefined)
    h.at(t + 2).add('venue', 'order.fill', { ...base, lastQty: qty, lastPrice: '60000', cumQty: qty, status: 'FILLED', positionAfter: after }, 'bot-1');
  return seq;
}
function reject(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: string, reduceOnly = true): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.reject',
      { symbol: 'BTCUSDT', side, type: 'MARKET', qty, reduceOnly, code: -1112, msg: 'No orders on book for symbol.', fault: 'f1' },
      'bot-1',
    );
}
function probe(h: SyntheticHistory, t: number, position: string): number {
  return h.at(t).add('target', 'probe', { probe: 'position', symbol: 'BTCUSDT', position }, 'bot-1');
}

/** LONG filled, its FLAT exit rejected at 2000; the history continues with `rest`. */
function failedExit(rest: (h: SyntheticHistory) => void): { h: SyntheticHistory; entry: number; rej: number } {
  const h = new SyntheticHistory();
  probe(h, 990, '0');
  const entry = order(h, 1000, 'BUY', '0.016', '0', false, '0.016');
  probe(h, 1990, '0.016');
  const rej = reject(h, 2000, 'SELL', '0.016');
  rest(h);
  h.at(9000).add('harness', 'scenario.window.end', {});
  return { h, entry, rej };
}

describe('exits-verified', () => {
  it('is registered and cites the exit findings', () => {
    expect(checker('exits-verified')).toBe(exitsVerified);
    expect(exitsVerified.findings).toEqual([
      '003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally',
      '000_2ae31cbfe79758d1.txt#S-M8',
      '000_2ae31cbfe79758d1.txt#S-H5',
    ]);
  });

  it('passes when the rejected exit is re-sent reduce-only (once rejected again) and the position goes flat', () => {
    const { h } = failedExit((h) => {
      probe(h, 2990, '0.016');
      reject(h, 3000, 'SELL', '0.016');
      probe(h, 3990, '0.016');
      order(h, 4000, 'SELL', '0.016', '0.016', true, '0');
      probe(h, 4990, '0');
      order(h, 5000, 'SELL', '0.016', '0', false, '-0.016');
    });
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ failedExits: 2, retried: 2, probesJudged: 2, maxRetryMs: 1000 });
  });

  it('fails when the bot states the position it failed to close as closed', () => {
    let p = 0;
    const { h, entry, rej } = failedExit((h) => {
      p = probe(h, 2990, '0');
      order(h, 3000, 'SELL', '0.016', '0.016', false, '0');
    });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([p, rej, entry + 1]);
    expect(r.violations[0]?.message).toMatch(/states a BTCUSDT position of 0 990 ms after its SELL exit was rejected, but the venue still holds 0\.016/);
  });

  it('fails when the next order is not the exit (planned on a position closed only in its books), without probes', () => {
    let next = 0;
    const { h, entry, rej } = failedExit((h) => {
      next = order(h, 3000, 'SELL', '0.016', '0.016', false, '0');
    });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([next, rej, entry + 1]);
    expect(r.violations[0]?.message).toMatch(/sent SELL 0\.016 BTCUSDT 1000 ms after its SELL exit of 0\.016 was rejected, without re-sending the exit/);
  });

  it('fails when the exit is dropped: no retry within retryMs while the position stays open', () => {
    const { h, rej, entry } = failedExit((h) => {
      probe(h, 2990, '0.016');
    });
    const r = check(h.events, { retryMs: 3000 });
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([rej, entry + 1]);
    expect(r.violations[0]?.message).toMatch(/not retried within 3000 ms/);
    // A longer allowance than the rest of the window: nothing to judge as dropped, still not retried.
    expect(check(h.events, { retryMs: 8000 }).valid).toBe(true);
  });

  it('ignores rejections of orders that were not exits, and is unknown when no exit failed', () => {
    const h = new SyntheticHistory();
    order(h, 1000, 'BUY', '0.016', '0', false, '0.016');
    order(h, 2000, 'SELL', '0.016', '0.016', true, '0');
    reject(h, 3000, 'BUY', '0.016', true); // reduce-only on a flat position: not an exit
    reject(h, 3500, 'SELL', '0.016', false);
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.stats).toMatchObject({ exits: 1, failedExits: 0 });
    expect(check([]).valid).toBe('unknown');
  });
});
