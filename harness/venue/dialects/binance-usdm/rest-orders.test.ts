import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT1, BOT2, btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

const market = (side: string, quantity: string, extra: Record<string, string> = {}) => ({ symbol: 'BTCUSDT', side, type: 'MARKET', quantity, ...extra });
const limit = (side: string, quantity: string, price: string, timeInForce = 'GTC') => ({
  symbol: 'BTCUSDT',
  side,
  type: 'LIMIT',
  quantity,
  price,
  timeInForce,
});

describe('POST /fapi/v1/order', () => {
  it('fills a MARKET buy at the ask, answers ACK as NEW, and records order.new before order.fill', async () => {
    const res = await t.signed('POST', '/fapi/v1/order', market('BUY', '0.010', { newClientOrderId: 'entry-1' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      symbol: 'BTCUSDT',
      status: 'NEW',
      clientOrderId: 'entry-1',
      origQty: '0.010',
      executedQty: '0',
      cumQty: '0',
      type: 'MARKET',
      side: 'BUY',
      positionSide: 'BOTH',
      reduceOnly: false,
      price: '0',
    });
    expect(typeof res.body.orderId).toBe('number');
    expect(res.headers.get('x-mbx-order-count-1m')).toBe('1');
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.01);

    const types = t.recorder.events.filter((e) => e.type.startsWith('order.')).map((e) => e.type);
    expect(types).toEqual(['order.new', 'order.fill']);
    expect(t.recorder.of('order.new')[0]).toMatchObject({
      instance: 'bot-1',
      data: {
        orderId: res.body.orderId,
        clientOrderId: 'entry-1',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        qty: '0.010',
        reduceOnly: false,
        positionBefore: '0.000',
      },
    });
    expect(t.recorder.of('order.fill')[0]?.data).toMatchObject({
      lastQty: '0.010',
      lastPrice: '65000.1',
      cumQty: '0.010',
      status: 'FILLED',
      positionAfter: '0.010',
      maker: false,
      commission: '0.32500050',
    });
  });

  it('returns the final FILLED order with newOrderRespType=RESULT and tracks positionBefore', async () => {
    await t.signed('POST', '/fapi/v1/order', market('BUY', '0.010'));
    const res = await t.signed('POST', '/fapi/v1/order', market('SELL', '0.004', { newOrderRespType: 'RESULT' }));
    expect(res.body).toMatchObject({ status: 'FILLED', executedQty: '0.004', avgPrice: '64999.90000', cumQuote: '259.9996' });
    expect(res.body.clientOrderId).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(t.recorder.of('order.new')[1]?.data.positionBefore).toBe('0.010');
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.006);
  });

  it('rests a LIMIT order and fills it as maker at its price when a later tick crosses', async () => {
    const res = await t.signed('POST', '/fapi/v1/order', limit('BUY', '0.002', '64900.0'));
    expect(res.body).toMatchObject({ status: 'NEW', price: '64900.0', timeInForce: 'GTC' });
    const open = await t.signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o: { orderId: number }) => o.orderId)).toEqual([res.body.orderId]);
    t.venue.applyTick('BTCUSDT', btcTop(64950));
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0);
    t.venue.applyTick('BTCUSDT', btcTop(64850));
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.002);
    expect(t.recorder.of('order.fill')[0]?.data).toMatchObject({ lastPrice: '64900.0', maker: true, commission: '0.02596000' });
    const q = await t.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(res.body.orderId) });
    expect(q.body).toMatchObject({ status: 'FILLED', executedQty: '0.002' });
  });

  it('cancels a resting order (order.cancel user) and expires an unfilled IOC (order.cancel expired)', async () => {
    const rest = await t.signed('POST', '/fapi/v1/order', limit('SELL', '0.002', '65100.0'));
    const del = await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: rest.body.clientOrderId });
    expect(del.body).toMatchObject({ orderId: rest.body.orderId, status: 'CANCELED' });
    const ioc = await t.signed('POST', '/fapi/v1/order', { ...limit('BUY', '0.002', '64990.0', 'IOC'), newOrderRespType: 'RESULT' });
    expect(ioc.body.status).toBe('EXPIRED');
    expect(t.recorder.of('order.cancel').map((e) => e.data.reason)).toEqual(['user', 'expired']);
  });

  it.each([
    ['precision', market('BUY', '0.0105'), -1111],
    ['zero quantity', market('BUY', '0'), -4003],
    ['above MARKET_LOT_SIZE', market('BUY', '121'), -4005],
    ['tick size', limit('BUY', '0.002', '64900.15'), -4014],
    ['percent price cap', limit('BUY', '0.002', '70000.0'), -4016],
    ['min notional', market('BUY', '0.001'), -4164],
    ['post only would take', limit('BUY', '0.002', '65000.1', 'GTX'), -5022],
    ['FOK not fillable', limit('BUY', '0.002', '64000.0', 'FOK'), -5021],
    ['bad client order id', market('BUY', '0.002', { newClientOrderId: 'has space' }), -1100],
    ['missing quantity', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' }, -1102],
    ['unknown symbol', market('BUY', '1', { symbol: 'XRPUSDT' }), -1121],
  ])('rejects %s with HTTP 400 and records order.reject', async (_name, params, code) => {
    const res = await t.signed('POST', '/fapi/v1/order', params as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    const rejects = t.recorder.of('order.reject');
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ instance: 'bot-1', data: { code, msg: res.body.msg } });
    expect(t.recorder.of('order.new')).toHaveLength(0);
    expect(t.recorder.of('http.request').at(-1)?.data).toMatchObject({ method: 'POST', path: '/fapi/v1/order', status: 400, code });
  });

  it('records the quantity and price of a refused order as sent, also when they are no numbers', async () => {
    const res = await t.signed('POST', '/fapi/v1/order', limit('SELL', 'nan', 'NaN'));
    expect(res.body.code).toBe(-1102);
    const bad = await t.signed('POST', '/fapi/v1/order', limit('BUY', '0.002', '0.0'));
    expect(bad.body.code).toBe(-4013);
    expect(t.recorder.of('order.reject').map((e) => [e.data.qty, e.data.price])).toEqual([
      ['nan', 'NaN'],
      ['0.002', '0.0'],
    ]);
  });

  it('words min-notional like Binance', async () => {
    const res = await t.signed('POST', '/fapi/v1/order', market('BUY', '0.001'));
    expect(res.body.msg).toBe("Order's notional must be no smaller than 100 (unless you choose reduce only).");
  });

  it('rejects before the first tick of a symbol with -1112', async () => {
    const res = await t.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' });
    expect(res.body).toEqual({ code: -1112, msg: 'No orders on book for symbol.' });
  });

  it('refuses risk beyond the margin with -2019', async () => {
    const small = BOT2;
    const ok = await t.signed('POST', '/fapi/v1/order', market('BUY', '0.010'), { account: small });
    expect(ok.status).toBe(200);
    const res = await t.signed('POST', '/fapi/v1/order', market('BUY', '0.010'), { account: small });
    expect(res.body).toEqual({ code: -2019, msg: 'Margin is insufficient.' });
    expect(t.recorder.of('order.reject')[0]).toMatchObject({
      instance: 'bot-2',
      data: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.010', reduceOnly: false, code: -2019 },
    });
    // Reducing needs no margin.
    expect((await t.signed('POST', '/fapi/v1/order', market('SELL', '0.010'), { account: small })).status).toBe(200);
  });

  it('rejects a reduce-only order that would open or grow a position with -2022', async () => {
    const flat = await t.signed('POST', '/fapi/v1/order', market('SELL', '0.002', { reduceOnly: 'true' }));
    expect(flat.body).toEqual({ code: -2022, msg: 'ReduceOnly Order is rejected.' });
    await t.signed('POST', '/fapi/v1/order', market('BUY', '0.002'));
    const grow = await t.signed('POST', '/fapi/v1/order', market('BUY', '0.002', { reduceOnly: 'true' }));
    expect(grow.body.code).toBe(-2022);
    const close = await t.signed('POST', '/fapi/v1/order', market('SELL', '0.002', { reduceOnly: 'true' }));
    expect(close.status).toBe(200);
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0);
  });

  it("accepts another instance's key on this listener as that account", async () => {
    await t.signed('POST', '/fapi/v1/order', market('BUY', '0.002'), { account: BOT2, instance: 'bot-1' });
    expect(t.venue.position('bot-2', 'BTCUSDT')).toBe(0.002);
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0);
    expect(t.recorder.of('http.request')[0]?.instance).toBe('bot-2');
  });
});

describe('GET/DELETE /fapi/v1/order for unknown orders', () => {
  it('answers -2011 on cancel and -2013 on query', async () => {
    const del = await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: '123' });
    expect(del.status).toBe(400);
    expect(del.body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const get = await t.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'nope' });
    expect(get.body).toEqual({ code: -2013, msg: 'Order does not exist.' });
  });
});

describe('signed endpoint security', () => {
  const account = { symbol: 'BTCUSDT' };

  it('answers key and signature errors with Binance codes and statuses', async () => {
    const noKey = await t.call('GET', '/fapi/v2/positionRisk', { query: 'timestamp=1' });
    expect([noKey.status, noKey.body.code, noKey.body.msg]).toEqual([401, -2014, 'API-key format invalid.']);
    const unknownKey = await t.call('GET', '/fapi/v2/positionRisk', { query: 'timestamp=1', apiKey: 'Unknown123' });
    expect([unknownKey.status, unknownKey.body.code]).toEqual([401, -2015]);
    expect(unknownKey.body.msg).toMatch(/^Invalid API-key, IP, or permissions for action, request ip: /);
    const badSig = await t.signed('GET', '/fapi/v2/positionRisk', account, { secret: 'wrong' });
    expect([badSig.status, badSig.body]).toEqual([400, { code: -1022, msg: 'Signature for this request is not valid.' }]);
    const noTs = await t.call('GET', '/fapi/v2/positionRisk', { query: 'signature=ab', apiKey: BOT1.apiKey });
    expect(noTs.body.code).toBe(-1102);
  });

  it('applies both -1021 timestamp rules against the skewed venue clock', async () => {
    const old = await t.signed('GET', '/fapi/v2/positionRisk', account, { timestamp: Date.now() - 6000 });
    expect(old.body).toEqual({ code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const ahead = await t.signed('GET', '/fapi/v2/positionRisk', account, { timestamp: Date.now() + 2000 });
    expect(ahead.body).toEqual({ code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." });
    t.venue.setServerTimeOffset(3000);
    expect((await t.signed('GET', '/fapi/v2/positionRisk', account, { timestamp: Date.now() + 2000 })).status).toBe(200);
  });
});
