import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

const stop = (extra: Record<string, string> = {}) => ({
  algoType: 'CONDITIONAL',
  symbol: 'BTCUSDT',
  side: 'SELL',
  type: 'STOP_MARKET',
  quantity: '0.01',
  triggerPrice: '64000',
  ...extra,
});

describe('algo (conditional) orders', () => {
  it('refuses stop types on /fapi/v1/order with -4120', async () => {
    for (const type of ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT', 'TRAILING_STOP_MARKET']) {
      const r = await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type, quantity: '0.01', stopPrice: '64000' });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: -4120, msg: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.' });
    }
  });

  it('accepts, lists, queries and cancels by algoId or clientAlgoId', async () => {
    const a = await t.signed('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'sl-1' }));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      algoType: 'CONDITIONAL',
      orderType: 'STOP_MARKET',
      algoStatus: 'NEW',
      clientAlgoId: 'sl-1',
      triggerPrice: '64000',
      quantity: '0.01',
    });
    const open = await t.signed('GET', '/fapi/v1/openAlgoOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o: { algoId: number }) => o.algoId)).toEqual([a.body.algoId]);
    const q = await t.signed('GET', '/fapi/v1/algoOrder', { clientAlgoId: 'sl-1' });
    expect(q.body).toMatchObject({ algoId: a.body.algoId, actualOrderId: '' });
    const del = await t.signed('DELETE', '/fapi/v1/algoOrder', { algoId: String(a.body.algoId) });
    expect(del.body).toEqual({ algoId: a.body.algoId, clientAlgoId: 'sl-1', code: '200', msg: 'success' });
    expect((await t.signed('DELETE', '/fapi/v1/algoOrder', { algoId: String(a.body.algoId) })).body.code).toBe(-2011);
    expect((await t.signed('GET', '/fapi/v1/algoOrder', { algoId: '1' })).body.code).toBe(-2013);
  });

  it('refuses a trigger already crossed (-2021) and checks the filters of the order it will place', async () => {
    expect((await t.signed('POST', '/fapi/v1/algoOrder', stop({ triggerPrice: '66000' }))).body.code).toBe(-2021);
    expect((await t.signed('POST', '/fapi/v1/algoOrder', stop({ quantity: '0.0101' }))).body.code).toBe(-1111);
    expect((await t.signed('POST', '/fapi/v1/algoOrder', stop({ algoType: 'VP' }))).body.code).toBe(-1130);
  });

  it('a closePosition stop fires on the tick that crosses it and closes the whole position', async () => {
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.02' });
    const a = await t.signed('POST', '/fapi/v1/algoOrder', stop({ quantity: '', closePosition: 'true' }));
    expect(a.body).toMatchObject({ closePosition: true, reduceOnly: true, quantity: '0' });
    t.venue.applyTick('BTCUSDT', btcTop(64500));
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.02);
    t.venue.applyTick('BTCUSDT', btcTop(63990));
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0);
    const q = await t.signed('GET', '/fapi/v1/algoOrder', { algoId: String(a.body.algoId) });
    expect(q.body.algoStatus).toBe('FINISHED');
    expect(Number(q.body.actualOrderId)).toBeGreaterThan(0);
  });
});
