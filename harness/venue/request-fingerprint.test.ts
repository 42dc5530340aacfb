import { afterEach, describe, expect, it } from 'vitest';
import { historyWindow, requestFingerprint, retryAfterSeconds } from './request-fingerprint.ts';
import { startTestVenue, type TestVenue } from './testing.ts';

let t: TestVenue | undefined;
afterEach(async () => {
  await t?.venue.stop();
  t = undefined;
});

const enc = (s: string) => new TextEncoder().encode(s);

describe('request fingerprint', () => {
  it('ignores timestamp, signature, recvWindow and parameter order, and sees query and body alike', () => {
    const a = requestFingerprint(new URL('http://x/fapi/v1/order?symbol=BTCUSDT&side=BUY&timestamp=1&signature=aa&recvWindow=5000'), enc(''));
    const b = requestFingerprint(new URL('http://x/fapi/v1/order?side=BUY&symbol=BTCUSDT&timestamp=2&signature=bb'), enc(''));
    const c = requestFingerprint(new URL('http://x/fapi/v1/order'), enc('symbol=BTCUSDT&side=BUY&timestamp=3&signature=cc'));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(requestFingerprint(new URL('http://x/fapi/v1/order?symbol=BTCUSDT&side=SELL'), enc(''))).not.toBe(a);
    expect(requestFingerprint(new URL('http://x/fapi/v1/order?symbol=BTCUSDT&side=BUY&newClientOrderId=x2'), enc(''))).not.toBe(a);
  });

  it('reads Retry-After in seconds', () => {
    expect(retryAfterSeconds({ 'Retry-After': '5' })).toBe(5);
    expect(retryAfterSeconds({ 'retry-after': '7', 'content-type': 'application/json' })).toBe(7);
    expect(retryAfterSeconds({})).toBeUndefined();
    expect(retryAfterSeconds({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' })).toBeUndefined();
  });

  it('is recorded on every venue http.request, with the Retry-After of a 429', async () => {
    t = await startTestVenue({ rateLimits: { ordersPer10s: 1 } });
    // Three identical orders: the 10 s window may roll over between two of them, never between both pairs.
    for (let i = 0; i < 3; i++) {
      await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', newClientOrderId: 'fp-1' });
    }
    const requests = t.recorder.of('http.request');
    const first = requests[0];
    const second = requests.find((e) => e.data.status === 429);
    expect(first?.data.fp).toMatch(/^[0-9a-f]{16}$/);
    expect(second?.data.fp).toBe(first?.data.fp);
    expect(second?.data).toMatchObject({ status: 429, code: -1015 });
    expect(second?.data.retryAfterS).toBeGreaterThan(0);
    expect(first?.data.retryAfterS).toBeUndefined();
  });
});

describe('historyWindow', () => {
  it('reads the candle window of a klines request and nothing else', () => {
    expect(historyWindow(new URL('http://x/fapi/v1/klines?symbol=btcusdt&interval=1m&startTime=1000&endTime=2000&limit=30'), 5000)).toEqual({
      now: 5000,
      symbol: 'BTCUSDT',
      interval: '1m',
      startTime: 1000,
      endTime: 2000,
      limit: 30,
    });
    expect(historyWindow(new URL('http://x/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=abc'), 7)).toEqual({
      symbol: 'BTCUSDT',
      interval: '5m',
      now: 7,
    });
    expect(historyWindow(new URL('http://x/fapi/v1/order?symbol=BTCUSDT&side=BUY'))).toBeUndefined();
  });
});
