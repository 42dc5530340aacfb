import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

const rest = (cid: string, price = '50000') =>
  t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price, quantity: '0.010', newClientOrderId: cid });
const batch = (params: Record<string, string>) => t.signed('DELETE', '/fapi/v1/batchOrders', { symbol: 'BTCUSDT', ...params });
const open = async () => (await t.signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body.map((o: { clientOrderId: string }) => o.clientOrderId);

describe('DELETE /fapi/v1/batchOrders', () => {
  it('cancels each listed order and answers one entry per order, -2011 for an unknown or final one', async () => {
    const a = (await rest('a1')).body.orderId;
    await rest('b2');
    await rest('c3');
    const r = await batch({ origClientOrderIdList: JSON.stringify(['a1', 'nope', 'c3']) });
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(3);
    expect(r.body[0]).toMatchObject({ clientOrderId: 'a1', orderId: a, status: 'CANCELED', symbol: 'BTCUSDT', origQty: '0.010' });
    expect(r.body[1]).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    expect(r.body[2]).toMatchObject({ clientOrderId: 'c3', status: 'CANCELED' });
    expect(await open()).toEqual(['b2']);
    const again = await batch({ orderIdList: JSON.stringify([a]) });
    expect(again.body).toEqual([{ code: -2011, msg: 'Unknown order sent.' }]);
  });

  it('refuses malformed batches as Binance does', async () => {
    expect((await batch({})).body.code).toBe(-1102);
    expect((await batch({ orderIdList: '[1]', origClientOrderIdList: '["a"]' })).body.code).toBe(-1128);
    expect((await batch({ orderIdList: '1,2' })).body).toEqual({ code: -1130, msg: "Data sent for parameter 'orderIdList' is not valid." });
    expect((await batch({ origClientOrderIdList: JSON.stringify(Array.from({ length: 11 }, (_, i) => `x${i}`)) })).body.code).toBe(-1130);
    expect((await batch({ orderIdList: '[]' })).body.code).toBe(-1130);
    expect((await t.signed('DELETE', '/fapi/v1/batchOrders', { orderIdList: '[1]' })).body.code).toBe(-1102);
  });

  it('a cancel refusal fails the first entries it covers, leaves those orders working, and is recorded', async () => {
    await rest('a1');
    await rest('b2');
    await rest('c3');
    t.venue.refuseCancels('bot-1', {
      status: 503,
      code: -1001,
      msg: 'Internal error; unable to process your request. Please try again.',
      count: 2,
      fault: 'f1',
    });
    const r = await batch({ origClientOrderIdList: JSON.stringify(['a1', 'b2', 'c3']) });
    expect(r.status).toBe(200);
    expect(r.body[0]).toEqual({ code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
    expect(r.body[1]).toEqual({ code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
    expect(r.body[2]).toMatchObject({ clientOrderId: 'c3', status: 'CANCELED' });
    expect(await open()).toEqual(['a1', 'b2']);
    expect(t.recorder.of('cancel.refuse').map((e) => [e.data.clientOrderId, e.data.via, e.data.fault])).toEqual([
      ['a1', 'batch', 'f1'],
      ['b2', 'batch', 'f1'],
    ]);
    // The count is spent: the retry goes through, single or batch.
    expect((await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'a1' })).body.status).toBe('CANCELED');
    expect((await batch({ origClientOrderIdList: '["b2"]' })).body[0].status).toBe('CANCELED');
    expect(await open()).toEqual([]);
  });

  it('a refusal answers a single cancel with its HTTP error until healed', async () => {
    await rest('a1');
    t.venue.refuseCancels('bot-1', { status: 503, code: -1001, msg: 'Internal error; unable to process your request. Please try again.', fault: 'f2' });
    const r = await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'a1' });
    expect(r.status).toBe(503);
    expect(r.body.code).toBe(-1001);
    expect(t.recorder.of('cancel.refuse')[0]?.data).toMatchObject({ via: 'single', clientOrderId: 'a1' });
    t.venue.refuseCancels('bot-1', undefined);
    expect((await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'a1' })).body.status).toBe('CANCELED');
  });
});
