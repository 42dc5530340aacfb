import { afterEach, describe, expect, it } from 'vitest';
import { BOT1, BOT2, btcTop, startTestVenue, type TestVenue } from '../../testing.ts';
import { rateLimitsFrom } from './usage.ts';

/** A venue clock offset that puts venue time 1 s past a minute boundary: fixed windows cannot roll mid-test. */
function minuteStartOffset(): number {
  const now = Date.now();
  return Math.ceil(now / 60_000) * 60_000 + 1000 - now;
}

let t: TestVenue | undefined;
afterEach(async () => {
  await t?.venue.stop();
  t = undefined;
});

describe('venue rate limits', () => {
  it('advertises Binance limits by default and the configured ones when lowered', async () => {
    t = await startTestVenue({ rateLimits: { weightPerMinute: 50, ordersPer10s: 7 } });
    const { body } = await t.call('GET', '/fapi/v1/exchangeInfo');
    expect(body.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 50 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 7 },
    ]);
    expect(rateLimitsFrom(undefined)).toMatchObject({ weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200 });
    expect(() => rateLimitsFrom({ weightPerMinute: 0 })).toThrow(/weightPerMinute/);
  });

  it('answers 429 -1003 with Retry-After over the weight limit, then bans (418) an IP that keeps sending, longer each time', async () => {
    const offset = minuteStartOffset();
    t = await startTestVenue({ serverTimeOffsetMs: offset, rateLimits: { weightPerMinute: 10, banAfter: 2, banMs: 1000 } });
    for (let i = 1; i <= 10; i++) {
      const ok = await t.call('GET', '/fapi/v1/ping', { instance: i % 2 ? 'bot-1' : 'bot-2' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-mbx-used-weight-1m')).toBe(String(i));
    }
    const limited = await t.call('GET', '/fapi/v1/ping');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      code: -1003,
      msg: 'Too many requests; current limit is 10 requests per minute. Please use the websocket for live updates to avoid polling the API.',
    });
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(55);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-mbx-used-weight-1m')).toBe('11');
    // banAfter 2: two more 429s are tolerated, the next request is banned.
    expect((await t.call('GET', '/fapi/v1/time')).status).toBe(429);
    expect((await t.call('GET', '/fapi/v1/time', { instance: 'bot-2' })).status).toBe(429);
    const banned = await t.call('GET', '/fapi/v1/ping');
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('1');
    expect(banned.body.code).toBe(-1003);
    expect(banned.body.msg).toMatch(/^Way too many requests; IP banned until \d{13}\. Please use the websocket for live updates to avoid bans\.$/);
    const until = Number(/until (\d+)/.exec(banned.body.msg)?.[1]);
    expect(until - (Date.now() + offset)).toBeGreaterThan(800);
    // Banned requests carry no weight; signed ones are refused before authentication.
    const during = await t.signed('GET', '/fapi/v2/balance', {}, { timestamp: Date.now() + offset });
    expect(during.status).toBe(418);
    expect(during.headers.get('x-mbx-used-weight-1m')).toBe('14');
    // After the ban the IP is still over the limit: the next request earns a second, longer ban.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await t.call('GET', '/fapi/v1/ping');
    expect(again.status).toBe(418);
    expect(again.headers.get('retry-after')).toBe('2');
    expect(t.recorder.of('http.request').map((e) => e.data.status)).toEqual([...Array(10).fill(200), 429, 429, 429, 418, 418, 418]);
  });

  it('refuses new orders over the 10 s and 1 min order counts with 429 -1015, per account', async () => {
    const offset = minuteStartOffset();
    t = await startTestVenue({ serverTimeOffsetMs: offset, rateLimits: { ordersPer10s: 3, ordersPerMinute: 4 } });
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const order = (i: number, account = BOT1) =>
      (t as TestVenue).signed(
        'POST',
        '/fapi/v1/order',
        { symbol: 'BTCUSDT', side: i % 2 ? 'SELL' : 'BUY', type: 'MARKET', quantity: '0.002' },
        { account, timestamp: Date.now() + offset },
      );
    for (let i = 1; i <= 3; i++) {
      const ok = await order(i);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-mbx-order-count-10s')).toBe(String(i));
      expect(ok.headers.get('x-mbx-order-count-1m')).toBe(String(i));
    }
    const limited = await order(4);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 3 orders per TEN_SECONDS.' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(limited.headers.get('x-mbx-order-count-10s')).toBe('4');
    expect(t.recorder.of('order.reject').at(-1)?.data).toMatchObject({ code: -1015 });
    expect(t.recorder.of('order.new')).toHaveLength(3);
    // Another account has its own order counts; the IP's weight is untouched by order counts.
    expect((await order(1, BOT2)).headers.get('x-mbx-order-count-10s')).toBe('1');
    // Other endpoints still answer for the limited account.
    expect((await t.signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }, { timestamp: Date.now() + offset })).status).toBe(200);
  });

  it('applies the 1-minute order count too', async () => {
    const offset = minuteStartOffset();
    t = await startTestVenue({ serverTimeOffsetMs: offset, rateLimits: { ordersPer10s: 100, ordersPerMinute: 2 } });
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const replies = [];
    for (let i = 0; i < 3; i++) {
      const side = i % 2 ? 'SELL' : 'BUY';
      replies.push(
        await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.002' }, { timestamp: Date.now() + offset }),
      );
    }
    expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(replies[2]?.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 2 orders per MINUTE.' });
  });
});
