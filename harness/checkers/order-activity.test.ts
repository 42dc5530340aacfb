import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history/types.ts';
import { instanceSymbol, OrderActivity } from './order-activity.ts';

let seq = 0;
const ev = (type: string, t: number, data: Record<string, unknown>, src: HistoryEvent['src'] = 'venue'): HistoryEvent => ({
  seq: seq++,
  t,
  src,
  type,
  instance: 'bot-1',
  data: { symbol: 'BTCUSDT', ...data },
});
const KEY = instanceSymbol('bot-1', 'BTCUSDT');

describe('OrderActivity', () => {
  it('is quiet only with no working order and the last order event settleMs old', () => {
    const a = new OrderActivity();
    expect(a.quiet(KEY, 0, 500)).toBe(true);
    expect(a.track(ev('order.new', 100, { orderId: 1 }))).toBe(KEY);
    expect(a.quiet(KEY, 5000, 500)).toBe(false); // working
    a.track(ev('order.fill', 200, { orderId: 1, status: 'PARTIALLY_FILLED' }));
    expect(a.quiet(KEY, 5000, 500)).toBe(false); // still working
    a.track(ev('order.fill', 300, { orderId: 1, status: 'FILLED' }));
    expect(a.quiet(KEY, 700, 500)).toBe(false); // too recent
    expect(a.quiet(KEY, 800, 500)).toBe(true);
    expect(a.sinceLastEvent(KEY, 800)).toBe(500);
    a.track(ev('order.new', 900, { orderId: 2 }));
    a.track(ev('order.cancel', 950, { orderId: 2 }));
    expect(a.quiet(KEY, 1450, 500)).toBe(true);
  });

  it('ignores everything that is not a venue order event', () => {
    const a = new OrderActivity();
    expect(a.track(ev('probe', 10, { probe: 'position' }, 'target'))).toBeUndefined();
    expect(a.track(ev('order.new', 10, { orderId: 1 }, 'target'))).toBeUndefined();
    expect(a.track(ev('http.request', 10, {}))).toBeUndefined();
    expect(a.quiet(KEY, 11, 500)).toBe(true);
  });
});
