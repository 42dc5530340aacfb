import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SYMBOLS } from '../default-symbols.ts';
import { btcTop, collectingRecorder } from '../testing.ts';
import type { Account } from './account.ts';
import { checkFillPolicy, VenueEngine } from './engine.ts';
import type { FillPolicy, NewOrder, OrderUpdate } from './order.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(fillPolicy: FillPolicy) {
  const recorder = collectingRecorder();
  const engine = new VenueEngine({
    recorder,
    symbols: DEFAULT_SYMBOLS,
    accounts: [{ instance: 'bot-1', apiKey: 'k1', apiSecret: 's1', balanceUsdt: 100_000 }],
    leverage: 20,
    now: () => Date.now(),
    fillPolicy,
  });
  const updates: OrderUpdate[] = [];
  engine.listen({ orderUpdate: (_a, u) => updates.push({ ...u, order: { ...u.order } }), accountUpdate: () => {} });
  engine.applyTick('BTCUSDT', btcTop(65000));
  const account = engine.accountByInstance('bot-1') as Account;
  const order = (o: Partial<NewOrder>): NewOrder => ({
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    qty: 0.1,
    qtyText: '0.1',
    reduceOnly: false,
    clientOrderId: 'c1',
    ...o,
  });
  return { engine, recorder, account, updates, order };
}

describe('fill policy', () => {
  it('slices a market order into N fills intervalMs apart, each at the touch of its moment', () => {
    const { engine, account, order, updates, recorder } = setup({ kind: 'slices', slices: 3, intervalMs: 100 });
    const placed = engine.place(account, order({}));
    expect(placed.ok && placed.order.status).toBe('PARTIALLY_FILLED');
    engine.applyTick('BTCUSDT', btcTop(65010));
    vi.advanceTimersByTime(100);
    engine.applyTick('BTCUSDT', btcTop(65020));
    vi.advanceTimersByTime(100);
    const trades = updates.filter((u) => u.execution === 'TRADE');
    expect(trades.map((u) => [u.fill?.qty, u.fill?.price, u.order.executedQty, u.order.status])).toEqual([
      [0.033, 65000.1, 0.033, 'PARTIALLY_FILLED'],
      [0.033, 65010.1, 0.066, 'PARTIALLY_FILLED'],
      [0.034, 65020.1, 0.1, 'FILLED'],
    ]);
    expect(recorder.of('order.fill').map((e) => [e.data.lastQty, e.data.cumQty, e.data.status])).toEqual([
      ['0.033', '0.033', 'PARTIALLY_FILLED'],
      ['0.033', '0.066', 'PARTIALLY_FILLED'],
      ['0.034', '0.100', 'FILLED'],
    ]);
    expect(engine.position('bot-1', 'BTCUSDT')).toBe(0.1);
    // Only the funding timer is left: no slice timer outlives the order.
    expect(vi.getTimerCount()).toBe(1);
    engine.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends the rest after filledSlices: EXPIRED by default, CANCELED with rest: cancel', () => {
    for (const rest of ['expire', 'cancel'] as const) {
      const { engine, account, order, updates, recorder } = setup({ kind: 'slices', slices: 4, intervalMs: 50, filledSlices: 2, rest });
      engine.place(account, order({ qty: 0.2, qtyText: '0.2' }));
      vi.advanceTimersByTime(500);
      expect(updates.map((u) => `${u.execution}:${u.order.status}`)).toEqual([
        'NEW:NEW',
        'TRADE:PARTIALLY_FILLED',
        'TRADE:PARTIALLY_FILLED',
        rest === 'cancel' ? 'CANCELED:CANCELED' : 'EXPIRED:EXPIRED',
      ]);
      expect(engine.position('bot-1', 'BTCUSDT')).toBe(0.1);
      expect(recorder.of('order.cancel')[0]?.data.reason).toBe('expired');
    }
  });

  it('a user cancel between slices stops the slicing; ticks never fill a sliced order as resting', () => {
    const { engine, account, order, updates } = setup({ kind: 'slices', slices: 2, intervalMs: 100 });
    const placed = engine.place(account, order({ type: 'LIMIT', price: 65100, priceText: '65100', timeInForce: 'GTC' }));
    engine.applyTick('BTCUSDT', btcTop(64000));
    expect(placed.ok && placed.order.executedQty).toBe(0.05);
    engine.cancel(account, 'BTCUSDT', { clientOrderId: 'c1' });
    vi.advanceTimersByTime(500);
    expect(updates.map((u) => u.execution)).toEqual(['NEW', 'TRADE', 'CANCELED']);
  });

  it('a LIMIT order the market moved away from rests after its first slice and later fills as maker', () => {
    const { engine, account, order, updates } = setup({ kind: 'slices', slices: 2, intervalMs: 100 });
    engine.place(account, order({ type: 'LIMIT', price: 65000.1, priceText: '65000.1', timeInForce: 'GTC' }));
    engine.applyTick('BTCUSDT', btcTop(65100));
    vi.advanceTimersByTime(100);
    expect(updates.map((u) => `${u.execution}:${u.order.status}`)).toEqual(['NEW:NEW', 'TRADE:PARTIALLY_FILLED']);
    engine.applyTick('BTCUSDT', btcTop(64900));
    expect(updates.at(-1)).toMatchObject({ execution: 'TRADE', order: { status: 'FILLED' }, fill: { maker: true, price: 65000.1 } });
  });

  it('stop() drops pending slices, and bad policies are refused', () => {
    const { engine, account, order, updates } = setup({ kind: 'slices', slices: 5, intervalMs: 100 });
    engine.place(account, order({}));
    engine.stop();
    vi.advanceTimersByTime(1000);
    expect(updates.filter((u) => u.execution === 'TRADE')).toHaveLength(1);
    expect(() => checkFillPolicy({ kind: 'slices', slices: 0, intervalMs: 1 })).toThrow(/slices/);
    expect(() => checkFillPolicy({ kind: 'slices', slices: 2, intervalMs: 1, filledSlices: 3 })).toThrow(/filledSlices/);
    expect(() => checkFillPolicy({ kind: 'nope' } as unknown as FillPolicy)).toThrow(/unknown fill policy/);
  });
});
