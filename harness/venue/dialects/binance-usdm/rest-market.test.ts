import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue({ serverTimeOffsetMs: -30_000 });
});
afterEach(() => t.venue.stop());

describe('Binance USD-M market endpoints', () => {
  it('answers ping with {} and time with the skewed venue clock', async () => {
    expect((await t.call('GET', '/fapi/v1/ping')).body).toEqual({});
    const { body } = await t.call('GET', '/fapi/v1/time');
    expect(Math.abs(body.serverTime - (Date.now() - 30_000))).toBeLessThan(1000);
    t.venue.setServerTimeOffset(0);
    const again = await t.call('GET', '/fapi/v1/time');
    expect(Math.abs(again.body.serverTime - Date.now())).toBeLessThan(1000);
  });

  it('serves exchangeInfo with Binance filters, rate limits and assets', async () => {
    const { status, body } = await t.call('GET', '/fapi/v1/exchangeInfo');
    expect(status).toBe(200);
    expect(body.timezone).toBe('UTC');
    expect(body.rateLimits).toContainEqual({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 });
    expect(body.assets).toContainEqual({ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' });
    const btc = body.symbols.find((s: { symbol: string }) => s.symbol === 'BTCUSDT');
    expect(btc).toMatchObject({ contractType: 'PERPETUAL', status: 'TRADING', pricePrecision: 2, quantityPrecision: 3, marginAsset: 'USDT' });
    const filters = Object.fromEntries(btc.filters.map((f: { filterType: string }) => [f.filterType, f]));
    expect(filters.PRICE_FILTER.tickSize).toBe('0.10');
    expect(filters.LOT_SIZE).toMatchObject({ stepSize: '0.001', minQty: '0.001' });
    expect(filters.MARKET_LOT_SIZE.maxQty).toBe('120');
    expect(filters.MIN_NOTIONAL).toEqual({ filterType: 'MIN_NOTIONAL', notional: '100' });
    expect(filters.MAX_NUM_ORDERS.limit).toBe(200);
    expect(filters.PERCENT_PRICE).toMatchObject({ multiplierUp: '1.0500', multiplierDown: '0.9500' });
  });

  it('serves bookTicker from the last tick, -1121 for an unknown symbol', async () => {
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const { body } = await t.call('GET', '/fapi/v1/ticker/bookTicker', { query: 'symbol=BTCUSDT' });
    expect(body).toMatchObject({ symbol: 'BTCUSDT', bidPrice: '64999.9', askPrice: '65000.1', bidQty: '1.500', askQty: '2.250', lastUpdateId: 1 });
    const bad = await t.call('GET', '/fapi/v1/ticker/bookTicker', { query: 'symbol=DOGEUSDT' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('counts request weight per IP in X-MBX-USED-WEIGHT-1M, across listeners', async () => {
    const first = await t.call('GET', '/fapi/v1/ping');
    const second = await t.call('GET', '/fapi/v1/ticker/bookTicker');
    const used = Number(first.headers.get('x-mbx-used-weight-1m'));
    expect(used).toBeGreaterThanOrEqual(1);
    expect(Number(second.headers.get('x-mbx-used-weight-1m'))).toBe(used + 5);
    // Every listener is reached from 127.0.0.1: one IP, one budget (as two bots on one host).
    const other = await t.call('GET', '/fapi/v1/ping', { instance: 'bot-2' });
    expect(Number(other.headers.get('x-mbx-used-weight-1m'))).toBe(used + 6);
  });

  it('answers unknown paths with 404 and records every request under the listener instance', async () => {
    const res = await t.call('GET', '/fapi/v1/nope', { instance: 'bot-2' });
    expect(res.status).toBe(404);
    await t.call('GET', '/fapi/v1/ping');
    const reqs = t.recorder.of('http.request');
    expect(reqs).toHaveLength(2);
    expect(reqs[0]).toMatchObject({ src: 'venue', instance: 'bot-2', data: { method: 'GET', path: '/fapi/v1/nope', status: 404 } });
    expect(reqs[1]).toMatchObject({ instance: 'bot-1', data: { method: 'GET', path: '/fapi/v1/ping', status: 200 } });
  });
});
