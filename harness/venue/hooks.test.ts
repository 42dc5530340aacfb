/** Fault-facing hooks of StartedVenue: handler layering, events, and per-instance stream controls. */
import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeRequest, currentRequest } from './index.ts';
import { BOT1, BOT2, btcTop, startTestVenue, TestSocket, type TestVenue } from './testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

const market = (qty = '0.010') => t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: qty });

async function userSocket(account = BOT1) {
  const { body } = await t.call('POST', '/fapi/v1/listenKey', { apiKey: account.apiKey, instance: account.instance });
  const s = new TestSocket(`ws://127.0.0.1:${t.venue.portFor(account.instance)}/ws/${body.listenKey}`);
  await s.opened();
  return { s, listenKey: body.listenKey as string };
}

describe('use() / resetHandlers()', () => {
  it('layers msw handlers over the venue, newest first, per instance via currentRequest()', async () => {
    t.venue.use(
      http.get('*/fapi/v1/time', () =>
        currentRequest().listener === 'bot-1'
          ? HttpResponse.json({ code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }, { status: 503 })
          : undefined,
      ),
    );
    t.venue.use(http.get('*/fapi/v1/ping', () => HttpResponse.json({ faulted: true })));
    expect(await t.call('GET', '/fapi/v1/time')).toMatchObject({ status: 503, body: { code: -1001 } });
    // Not bot-1's listener: the handler returns nothing and the venue answers.
    expect((await t.call('GET', '/fapi/v1/time', { instance: 'bot-2' })).body.serverTime).toBeGreaterThan(0);
    expect((await t.call('GET', '/fapi/v1/ping')).body).toEqual({ faulted: true });
    t.venue.resetHandlers();
    expect((await t.call('GET', '/fapi/v1/time')).status).toBe(200);
    expect((await t.call('GET', '/fapi/v1/ping')).body).toEqual({});
  });

  it('a handler that throws is an injected 500 with Binance -1000, recorded like any request', async () => {
    t.venue.use(
      http.post('*/fapi/v1/order', () => {
        throw new Error('injected');
      }),
    );
    const r = await market();
    expect(r.status).toBe(500);
    expect(r.body.code).toBe(-1000);
    expect(t.recorder.of('http.request').at(-1)?.data).toMatchObject({ path: '/fapi/v1/order', status: 500, code: -1000 });
  });
});

describe('onEvent()', () => {
  it('fires order, listenKey and connection events synchronously, before the response or stream message leaves', async () => {
    const seen: string[] = [];
    const off = [
      t.venue.onEvent('order.accepted', (e) => seen.push(`accepted:${e.instance}:${e.order.status}:${t.recorder.of('order.fill').length}`)),
      t.venue.onEvent('order.filled', (e) => seen.push(`filled:${e.fill.qty}:${e.order.status}`)),
      t.venue.onEvent('order.cancelled', (e) => seen.push(`cancelled:${e.status}`)),
      t.venue.onEvent('listenKey.created', (e) => seen.push(`listenKey:${e.instance}:${e.reused}`)),
      t.venue.onEvent('connection.opened', (e) => seen.push(`opened:${e.kind}:${e.instance}`)),
    ];
    await userSocket();
    await market();
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '64000', quantity: '0.010' });
    expect(seen).toEqual([
      'listenKey:bot-1:false',
      'opened:user:bot-1',
      'accepted:bot-1:NEW:0',
      'filled:0.01:FILLED',
      'accepted:bot-1:NEW:1',
      'cancelled:EXPIRED',
    ]);
    for (const f of off) f();
    await market();
    expect(seen).toHaveLength(6);
  });

  it('a listener can act at the exact moment: lose the ack of the order that just executed', async () => {
    const off = t.venue.onEvent('order.filled', () => {
      const req = activeRequest();
      if (req) req.dropResponse = true;
    });
    await expect(market()).rejects.toThrow();
    off();
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.01);
    expect(t.recorder.of('http.request').at(-1)?.data).toMatchObject({ path: '/fapi/v1/order', status: 200, dropped: true });
    // The next order is answered normally.
    expect((await market()).status).toBe(200);
  });
});

describe('stream controls', () => {
  it('pauseMarketData stops one instance’s market messages while others flow, then resumes', async () => {
    const a = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/btcusdt@bookTicker`);
    const b = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-2')}/ws/btcusdt@bookTicker`);
    await Promise.all([a.opened(), b.opened()]);
    t.venue.pauseMarketData('bot-1', true);
    t.venue.applyTick('BTCUSDT', btcTop(65001));
    await b.next((m) => m.b === '65000.9');
    t.venue.pauseMarketData('bot-1', false);
    t.venue.applyTick('BTCUSDT', btcTop(65002));
    await a.next((m) => m.b === '65001.9');
    expect(a.messages.map((m) => m.b)).toEqual(['65001.9']);
    expect(() => t.venue.pauseMarketData('bot-9', true)).toThrow(/no instance/);
  });

  it('expireListenKey sends listenKeyExpired, keeps the socket open, and the key is dead afterwards', async () => {
    const { s, listenKey } = await userSocket();
    expect(t.venue.expireListenKey('bot-1')).toBe(listenKey);
    const m = await s.next((x) => x.e === 'listenKeyExpired');
    expect(m).toEqual({ e: 'listenKeyExpired', E: expect.stringMatching(/^\d+$/), listenKey });
    await market();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.messages.filter((x) => x.e === 'ORDER_TRADE_UPDATE')).toEqual([]);
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    expect((await t.call('PUT', '/fapi/v1/listenKey', { apiKey: BOT1.apiKey })).body.code).toBe(-1125);
    const fresh = await t.call('POST', '/fapi/v1/listenKey', { apiKey: BOT1.apiKey });
    expect(fresh.body.listenKey).not.toBe(listenKey);
    expect(t.venue.expireListenKey('bot-2')).toBeUndefined();
    expect(t.recorder.of('listenKey.expired').map((e) => e.data.listenKey)).toEqual([listenKey]);
  });

  it('announces listenKeyExpired on the first tick after the 60-minute validity lapsed', async () => {
    const { s, listenKey } = await userSocket();
    t.venue.setServerTimeOffset(61 * 60_000);
    t.venue.applyTick('BTCUSDT', btcTop(65001));
    expect(await s.next((x) => x.e === 'listenKeyExpired')).toMatchObject({ listenKey });
    t.venue.applyTick('BTCUSDT', btcTop(65002));
    await new Promise((r) => setTimeout(r, 50));
    expect(s.messages.filter((x) => x.e === 'listenKeyExpired')).toHaveLength(1);
  });

  it('tamperUserEvents duplicates the next N user-data messages of one instance only', async () => {
    const one = await userSocket(BOT1);
    const two = await userSocket(BOT2);
    t.venue.tamperUserEvents('bot-1', 'duplicate', 2);
    await market();
    await one.s.next((m) => m.e === 'ACCOUNT_UPDATE');
    await new Promise((r) => setTimeout(r, 50));
    expect(one.s.messages.map((m) => (m.e === 'ORDER_TRADE_UPDATE' ? m.o.x : m.e))).toEqual(['NEW', 'NEW', 'TRADE', 'TRADE', 'ACCOUNT_UPDATE']);
    expect(two.s.messages).toEqual([]);
  });

  it('tamperUserEvents reorders the next N messages (newest first), releasing after maxHoldMs at the latest', async () => {
    const { s } = await userSocket();
    t.venue.tamperUserEvents('bot-1', 'reorder', 3);
    await market();
    await s.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.x === 'NEW');
    expect(s.messages.map((m) => (m.e === 'ORDER_TRADE_UPDATE' ? m.o.x : m.e))).toEqual(['ACCOUNT_UPDATE', 'TRADE', 'NEW']);
    // Fewer events than N: held, then released reversed after maxHoldMs.
    t.venue.tamperUserEvents('bot-1', 'reorder', 10, 100);
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '64000', quantity: '0.010' });
    await new Promise((r) => setTimeout(r, 30));
    expect(s.messages).toHaveLength(3);
    await s.next((m) => s.messages.length === 4 && m.e === 'ORDER_TRADE_UPDATE', 1000);
  });
});
