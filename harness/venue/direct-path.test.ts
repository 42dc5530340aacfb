/**
 * The direct path (no fault handler installed) must answer exactly as msw does: the same
 * requests, sent once through each path, get the same status, body and Binance headers.
 * A pass-through handler (`use()` of one that returns undefined) forces the msw path.
 */
import { http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT1, btcTop, type Reply, startTestVenue, type TestVenue } from './testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

// Fields that differ between two otherwise equal answers (ids, clocks).
const VOLATILE = new Set(['orderId', 'updateTime', 'time', 'serverTime', 'clientOrderId', 'listenKey', 'E', 'T', 'lastUpdateId']);
function stable(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(stable);
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, VOLATILE.has(k) ? typeof v : stable(v)]));
  return body;
}
const view = (r: Reply) => ({
  status: r.status,
  body: stable(r.body),
  retryAfter: r.headers.get('retry-after'),
  orderCount: r.headers.get('x-mbx-order-count-10s') !== null,
  weight: r.headers.get('x-mbx-used-weight-1m') !== null,
});

async function exercise(): Promise<ReturnType<typeof view>[]> {
  const rs: Reply[] = [
    await t.call('GET', '/fapi/v1/ping'),
    await t.call('GET', '/fapi/v1/depth', { query: 'symbol=BTCUSDT&limit=5' }),
    await t.call('GET', '/fapi/v1/depth', { query: 'symbol=NOPE' }),
    await t.call('GET', '/fapi/v1/nothing-here'),
    await t.call('GET', '/fapi/v1/ping/'),
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' }),
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.010', price: '1.23456' }),
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.010' }, { secret: 'wrong' }),
    await t.signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }),
    await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: '999999' }),
    await t.call('POST', '/fapi/v1/listenKey', { apiKey: BOT1.apiKey }),
    await t.call('POST', '/fapi/v1/listenKey'),
  ];
  return rs.map(view);
}

describe('direct path vs msw', () => {
  it('answers the same requests identically', async () => {
    const direct = await exercise();
    t.venue.use(http.all('*', () => undefined));
    const viaMsw = await exercise();
    expect(direct).toEqual(viaMsw);
    // The sequence reached the engine both times (not two identical 404s).
    expect(direct[5]).toMatchObject({ status: 200, orderCount: true });
    expect(direct[7]).toMatchObject({ status: 400, body: { code: -1022 } });
    expect(direct[3]?.status).toBe(404);
  });

  it('records the same http.request events on both paths', async () => {
    await exercise();
    const first = t.recorder.of('http.request').map((e) => ({ ...e.data, fp: typeof e.data.fp }));
    t.recorder.events.length = 0;
    t.venue.use(http.all('*', () => undefined));
    await exercise();
    const second = t.recorder.of('http.request').map((e) => ({ ...e.data, fp: typeof e.data.fp }));
    expect(first).toEqual(second);
    expect(first.length).toBe(12);
  });
});
