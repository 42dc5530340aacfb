import { describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { accountFixture, memoryRecorder, testContext } from './testing.ts';

const account = accountFixture();
const control = account.control;

describe('foreign-order', () => {
  const k = faultKind('foreign-order');

  it('parses its params', () => {
    expect(k.parse({ price: '45000', qty: '0.010' })).toEqual({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: '45000', qty: '0.010' });
    expect(k.parse({ type: 'MARKET', qty: '0.005', side: 'SELL' })).toEqual({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', qty: '0.005' });
    expect(() => k.parse({ type: 'MARKET', price: '1', qty: '1' })).toThrow(/MARKET order takes no price/);
    expect(() => k.parse({ type: 'STOP', price: '1', qty: '1' })).toThrow(/type must be LIMIT or MARKET/);
    expect(() => k.parse({ qty: '1' })).toThrow(/price/);
    expect(k.parse({ side: 'SELL', price: '80000.5', qty: '1', clientOrderId: 'ops-hedge-1', symbol: 'ETHUSDT' })).toMatchObject({
      side: 'SELL',
      clientOrderId: 'ops-hedge-1',
    });
    expect(() => k.parse({ price: '-1', qty: '1' })).toThrow(/price/);
    expect(() => k.parse({ price: '1', qty: '1', side: 'LONG' })).toThrow(/side/);
    expect(() => k.parse({ price: '1', qty: '1', clientOrderId: 'has space' })).toThrow(/clientOrderId/);
    expect(() => k.parse({ price: '1', qty: '1', durationMs: 5 })).toThrow(/unknown parameter "durationMs"/);
    expect(k.instant).toBe(true);
  });

  it('places a resting order on the instance’s account with its own key and records it', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, venue: account.venue().venue, target: () => control() });
    const f = await k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ price: '45000', qty: '0.010' }));
    await f.heal();
    const rec = recorder.events.find((e) => e.type === 'foreign.order');
    expect(rec?.data).toMatchObject({ clientOrderId: 'faultline-manual-f1', status: 200, side: 'BUY', price: '45000' });
    expect(typeof rec?.data.orderId).toBe('number');
    const open = await account.venue().signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o: { clientOrderId: string }) => o.clientOrderId)).toContain('faultline-manual-f1');
    expect(
      account
        .venue()
        .recorder.of('order.new')
        .some((e) => e.data.clientOrderId === 'faultline-manual-f1'),
    ).toBe(true);
  });

  it('with type MARKET fills at once and moves the account’s position', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, venue: account.venue().venue, target: () => control() });
    const before = await account.venue().signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' });
    const amt = (r: { body: { positionAmt: string }[] }) => Number(r.body[0]?.positionAmt ?? 0);
    await k.inject(ctx, { instance: 'bot-1', occurrence: 'f4' }, k.parse({ type: 'MARKET', side: 'SELL', qty: '0.004' }));
    expect(recorder.events.find((e) => e.type === 'foreign.order')?.data).toMatchObject({ type: 'MARKET', status: 200, qty: '0.004' });
    const after = await account.venue().signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' });
    expect(amt(after) - amt(before)).toBeCloseTo(-0.004, 9);
  });

  it('fails (does not take effect) when the credentials are unreadable or the venue refuses', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, venue: account.venue().venue, target: () => ({ ...control(), pid: 2 ** 22 + 12345 }) });
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f2' }, k.parse({ price: '45000', qty: '0.010' }))).rejects.toThrow(/credentials/);
    const ok = testContext({ recorder, venue: account.venue().venue, target: () => control() });
    await expect(k.inject(ok, { instance: 'bot-1', occurrence: 'f3' }, k.parse({ price: '45000', qty: '0.0001' }))).rejects.toThrow(/refused/);
    expect(recorder.events.find((e) => e.type === 'foreign.order')?.data).toMatchObject({ status: 400, clientOrderId: 'faultline-manual-f3' });
  });
});
