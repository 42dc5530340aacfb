/**
 * Bad input never crashes the venue: random methods, paths, params, bodies, content types and
 * signatures (half of them correctly signed, so requests get past authentication and reach the
 * endpoints' own validation) always get a Binance-style answer: 2xx, a bare 404, or a 4xx with
 * {"code": <negative int>, "msg": <string>}; never a 5xx, never a hang.
 */
import fc from 'fast-check';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from './dialects/binance-usdm/signing.ts';
import { BOT1, btcTop, startTestVenue, type TestVenue } from './testing.ts';

const PATHS = [
  '/fapi/v1/ping',
  '/fapi/v1/time',
  '/fapi/v1/exchangeInfo',
  '/fapi/v1/depth',
  '/fapi/v1/ticker/bookTicker',
  '/fapi/v1/ticker/24hr',
  '/fapi/v1/ticker/price',
  '/fapi/v1/premiumIndex',
  '/fapi/v1/order',
  '/fapi/v1/openOrder',
  '/fapi/v1/openOrders',
  '/fapi/v1/allOpenOrders',
  '/fapi/v1/userTrades',
  '/fapi/v1/leverageBracket',
  '/fapi/v1/listenKey',
  '/fapi/v1/algoOrder',
  '/fapi/v1/openAlgoOrders',
  '/fapi/v1/algoOpenOrders',
  '/fapi/v2/account',
  '/fapi/v3/account',
  '/fapi/v2/balance',
  '/fapi/v3/balance',
  '/fapi/v2/positionRisk',
  '/fapi/v3/positionRisk',
  '/fapi/v1/klines',
  '/fapi/v1/income',
  '/fapi/v1/leverage',
  '/fapi/v1/marginType',
  '/fapi/v1/positionSide/dual',
  '/fapi/v1/multiAssetsMargin',
];
const NAMES = [
  'symbol',
  'side',
  'type',
  'quantity',
  'price',
  'timeInForce',
  'reduceOnly',
  'newClientOrderId',
  'orderId',
  'origClientOrderId',
  'recvWindow',
  'limit',
  'fromId',
  'startTime',
  'endTime',
  'newOrderRespType',
  'positionSide',
  'algoType',
  'triggerPrice',
  'closePosition',
  'algoId',
  'clientAlgoId',
  'workingType',
  'interval',
  'incomeType',
  'page',
  'leverage',
  'marginType',
  'dualSidePosition',
  'multiAssetsMargin',
];
const VALUES = fc.oneof(
  fc.constantFrom(
    'BTCUSDT',
    'ETHUSDT',
    'btcusdt',
    'BUY',
    'SELL',
    'LIMIT',
    'MARKET',
    'STOP_MARKET',
    'GTC',
    'IOC',
    'FOK',
    'GTX',
    'true',
    'false',
    'RESULT',
    'ACK',
    'CONDITIONAL',
    'BOTH',
    '1m',
    '1M',
    '1w',
    'ISOLATED',
    'CROSSED',
    'COMMISSION',
  ),
  fc.constantFrom('0', '-1', '0.001', '0.0001', '65000', '65000.05', '1e3', 'NaN', 'Infinity', '99999999999999999999999', '', ' ', '%', '%zz', '\u0000', '🙂'),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.string({ maxLength: 40 }),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  path: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...PATHS) },
    { weight: 1, arbitrary: fc.webPath() },
    { weight: 1, arbitrary: fc.string().map((s) => `/fapi/${encodeURIComponent(s)}`) },
  ),
  params: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 })), VALUES), { maxLength: 8 }),
  inBody: fc.boolean(),
  contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', undefined),
  rawBody: fc.option(fc.oneof(fc.string(), fc.json()), { nil: undefined }),
  auth: fc.constantFrom('signed', 'signed', 'badSignature', 'keyOnly', 'badKey', 'none'),
  timestamp: fc.oneof(fc.constant('now'), fc.constant('old'), fc.constant('future'), VALUES),
});

let t: TestVenue;
beforeAll(async () => {
  // Limits out of reach: the fuzz explores the endpoints, not the 429s (rate-limits.test.ts does).
  t = await startTestVenue({ rateLimits: { weightPerMinute: 1_000_000, ordersPer10s: 1_000_000, ordersPerMinute: 1_000_000 } });
  t.venue.applyTick('BTCUSDT', btcTop(65000));
  t.venue.applyTick('ETHUSDT', { i: 0, bid: 2999.99, ask: 3000.01, bidQty: 10, askQty: 10, mid: 3000 });
});
afterAll(() => t.venue.stop());

describe('REST surface under random input', () => {
  it('always answers 2xx, a bare 404 or a Binance {code,msg} 4xx; never 5xx, never hangs', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const qs = new URLSearchParams();
        for (const [k, v] of r.params) qs.append(k, v);
        if (r.auth === 'signed' || r.auth === 'badSignature') {
          const ts =
            r.timestamp === 'now' ? Date.now() : r.timestamp === 'old' ? Date.now() - 70_000 : r.timestamp === 'future' ? Date.now() + 5000 : r.timestamp;
          qs.set('timestamp', String(ts));
        }
        let text = qs.toString();
        if (r.auth === 'signed') text += `&signature=${sign(BOT1.apiSecret, text)}`;
        if (r.auth === 'badSignature') text += `&signature=${'ab'.repeat(32)}`;
        const headers: Record<string, string> = {};
        if (r.auth !== 'none') headers['X-MBX-APIKEY'] = r.auth === 'badKey' ? 'no such key!' : BOT1.apiKey;
        if (r.contentType) headers['Content-Type'] = r.contentType;
        const bodyAllowed = r.method !== 'GET';
        const body = bodyAllowed && r.inBody ? text : bodyAllowed && r.rawBody !== undefined ? r.rawBody : undefined;
        const url = `${t.base()}${r.path}${body === text ? '' : `?${text}`}`;
        const res = await fetch(url, { method: r.method, headers, body, signal: AbortSignal.timeout(3000) });
        const raw = await res.text();
        expect(res.status, `${r.method} ${url} -> ${raw}`).toBeLessThan(500);
        if (res.status >= 400 && res.status !== 404) {
          const json = JSON.parse(raw);
          expect(Object.keys(json).sort()).toEqual(['code', 'msg']);
          expect(Number.isInteger(json.code) && json.code < 0).toBe(true);
          expect(typeof json.msg).toBe('string');
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: Number(process.env.FUZZ_SEED ?? 20_261_122), endOnFailure: true },
    );
    expect(t.recorder.of('http.request').filter((e) => (e.data.status as number) >= 500)).toEqual([]);
  });
});
