import { describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { accountFixture, memoryRecorder, testContext } from './testing.ts';

const account = accountFixture();
const control = account.control;

describe('predecessor-orders', () => {
  const k = faultKind('predecessor-orders');

  it('parses its params', () => {
    expect(k.parse({ price: '45000', qty: '0.010' })).toEqual({ symbol: 'BTCUSDT', side: 'BUY', price: '45000', qty: '0.010', count: 3 });
    expect(() => k.parse({ price: '45000', qty: '0.010', count: 11 })).toThrow(/count must be a whole number in \[1, 10\]/);
    expect(() => k.parse({ price: 'x', qty: '0.010' })).toThrow(/price must be a positive decimal/);
    expect(() => k.parse({ price: '1', qty: '1', side: 'LONG' })).toThrow(/side/);
    expect(() => k.parse({ price: '1', qty: '1', clientOrderId: 'a' })).toThrow(/unknown parameter "clientOrderId"/);
    expect(k.instant).toBe(true);
  });

  it('leaves resting orders under the bot’s own prefix and records them', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, venue: account.venue().venue, target: () => control('rb-bot-1-') });
    await k.inject(ctx, { instance: 'bot-1', occurrence: 'f2' }, k.parse({ price: '45000', qty: '0.010', count: 2 }));
    const rec = recorder.events.find((e) => e.type === 'predecessor.orders');
    const orders = rec?.data.orders as { clientOrderId: string; orderId?: number; status: number }[];
    expect(orders.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['rb-bot-1-p1-f2', 200],
      ['rb-bot-1-p2-f2', 200],
    ]);
    expect(orders.every((o) => typeof o.orderId === 'number')).toBe(true);
    const open = await account.venue().signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o: { clientOrderId: string }) => o.clientOrderId)).toEqual(expect.arrayContaining(['rb-bot-1-p1-f2', 'rb-bot-1-p2-f2']));
  });

  it('fails when the target declares no order id prefix, placing nothing', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, venue: account.venue().venue, target: () => control() });
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f3' }, k.parse({ price: '45000', qty: '0.010' }))).rejects.toThrow(
      /declares no orderIdPrefix/,
    );
    expect(recorder.events).toEqual([]);
  });
});
