import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, TestSocket, type TestVenue } from '../venue/testing.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';

/** Venue-side faults, each observed by a real HTTP or WebSocket client of the venue. */
let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(60_000));
});
afterEach(async () => {
  await t.venue.stop();
});

async function inject(kind: string, params: Record<string, unknown>, instance = 'bot-1') {
  const k = faultKind(kind);
  const recorder = memoryRecorder();
  const active = await k.inject(testContext({ recorder, venue: t.venue }), { instance, occurrence: 'f1' }, k.parse(params));
  return { active, recorder };
}

const buy = (qty = '0.010', instance?: string) =>
  t.signed(
    'POST',
    '/fapi/v1/order',
    { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: qty },
    instance ? { account: { instance, apiKey: 'KeyTwo2222', apiSecret: 'secret-two', balanceUsdt: 50 } } : {},
  );
const orders = () => t.recorder.events.filter((e) => e.type === 'order.new');

describe('REST faults', () => {
  it('rest-error: the endpoint answers 503 without executing, only for the fault’s instance, until heal', async () => {
    const { active } = await inject('rest-error', { durationMs: 1000 });
    const r = await buy();
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ code: -1001, msg: 'Service Unavailable.' });
    expect(orders()).toHaveLength(0);
    expect((await t.signed('GET', '/fapi/v1/openOrders', {})).status).toBe(200);
    await active.heal();
    expect((await buy()).status).toBe(200);
    expect(orders()).toHaveLength(1);
  });

  it('rest-error skip: the first matching requests go through, then every one fails; the venue records each klines window', async () => {
    const { active } = await inject('rest-error', { durationMs: 1000, method: 'GET', path: '/fapi/v1/klines', skip: 1 });
    const page = (start: number) => t.call('GET', '/fapi/v1/klines', { query: `symbol=BTCUSDT&interval=1m&startTime=${start}&limit=30` });
    expect((await page(0)).status).toBe(200);
    expect((await page(1_800_000)).status).toBe(503);
    expect((await page(1_800_000)).status).toBe(503);
    await active.heal();
    expect((await page(1_800_000)).status).toBe(200);
    const reqs = t.recorder.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/klines');
    expect(reqs.map((e) => [e.data.status, (e.data.window as { startTime: number }).startTime])).toEqual([
      [200, 0],
      [503, 1_800_000],
      [503, 1_800_000],
      [200, 1_800_000],
    ]);
    expect(() => faultKind('rest-error').parse({ durationMs: 1, skip: -1 })).toThrow(/skip must be a whole number/);
  });

  it('rest-slow: answers arrive delayMs late, then on time after heal', async () => {
    const { active } = await inject('rest-slow', { durationMs: 1000, delayMs: 300 });
    let t0 = performance.now();
    expect((await t.call('GET', '/fapi/v1/time')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    await active.heal();
    t0 = performance.now();
    await t.call('GET', '/fapi/v1/time');
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('klines-degenerate: every n-th candle of the venue’s answer has null OHLCV, the rest untouched, until heal', async () => {
    for (let i = 1; i <= 6; i++) t.venue.applyTick('BTCUSDT', btcTop(60_000 + i, i));
    const clean = (await t.call('GET', '/fapi/v1/klines', { query: 'symbol=BTCUSDT&interval=1m&limit=30' })).body as unknown[][];
    expect(clean.length).toBeGreaterThan(0);
    expect(clean[0]?.[4]).not.toBeNull();
    const { active, recorder } = await inject('klines-degenerate', { durationMs: 1000, every: 1 });
    const bad = (await t.call('GET', '/fapi/v1/klines', { query: 'symbol=BTCUSDT&interval=1m&limit=30' })).body as unknown[][];
    expect(bad).toHaveLength(clean.length);
    expect(bad.every((r) => r[0] !== null && r[1] === null && r[4] === null && r[5] === null)).toBe(true);
    expect(recorder.events.filter((e) => e.type === 'klines.degenerate').map((e) => e.data)).toEqual([{ id: 'f1', rows: clean.length, nulled: clean.length }]);
    expect((await t.call('GET', '/fapi/v1/klines', { query: 'symbol=BTCUSDT&interval=1m&limit=30', instance: 'bot-2' })).body).toEqual(clean);
    await active.heal();
    expect((await t.call('GET', '/fapi/v1/klines', { query: 'symbol=BTCUSDT&interval=1m&limit=30' })).body).toEqual(clean);
  });

  it('rest-rate-limit: 429 with Retry-After and -1003, then 418 after banAfter hits', async () => {
    await inject('rest-rate-limit', { durationMs: 1000, retryAfterS: 7, banAfter: 2 });
    const a = await t.call('GET', '/fapi/v1/time');
    const b = await t.call('GET', '/fapi/v1/exchangeInfo');
    const c = await t.call('GET', '/fapi/v1/time');
    expect([a.status, b.status, c.status]).toEqual([429, 429, 418]);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(a.body.code).toBe(-1003);
    expect(c.body.msg).toMatch(/IP banned until \d+/);
  });

  it('rest-visibility-lag: a fresh order answers -2013 for lagMs, then is found', async () => {
    await inject('rest-visibility-lag', { durationMs: 5000, lagMs: 400 });
    const placed = await buy();
    expect(placed.status).toBe(200);
    const early = await t.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    expect(early.body).toEqual({ code: -2013, msg: 'Order does not exist.' });
    await new Promise((r) => setTimeout(r, 450));
    const late = await t.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    expect(late.status).toBe(200);
    expect(late.body.orderId).toBe(placed.body.orderId);
  });

  it('rest-ack-lost: the order executes but the connection dies; the outcome is recorded as ambiguous', async () => {
    const { recorder } = await inject('rest-ack-lost', { durationMs: 1000, count: 1 });
    await expect(buy()).rejects.toThrow();
    expect(orders()).toHaveLength(1);
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBeCloseTo(0.01);
    expect(recorder.events.find((e) => e.type === 'order.ambiguous')?.data).toMatchObject({ how: 'ack-lost' });
    // count: 1 — the next order is answered normally.
    expect((await buy()).status).toBe(200);
  });

  it('rest-unknown-after-execute: 503 "Unknown error" although the order executed', async () => {
    await inject('rest-unknown-after-execute', { durationMs: 1000 });
    const r = await buy();
    expect(r.status).toBe(503);
    expect(r.body.msg).toBe('Unknown error, please check your request or try again later.');
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBeCloseTo(0.01);
  });
});

describe('stream and fill faults', () => {
  it('venue-market-pause: bookTicker stops while the socket stays open, and resumes at heal', async () => {
    const ws = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/btcusdt@bookTicker`);
    await ws.opened();
    t.venue.applyTick('BTCUSDT', btcTop(60_001, 1));
    await ws.next((m) => m.e === 'bookTicker');
    const { active } = await inject('venue-market-pause', { durationMs: 1000 });
    const before = ws.messages.length;
    for (let i = 2; i < 6; i++) t.venue.applyTick('BTCUSDT', btcTop(60_000 + i, i));
    await new Promise((r) => setTimeout(r, 100));
    expect(ws.messages.length).toBe(before);
    expect(ws.ws.readyState).toBe(ws.ws.OPEN);
    await active.heal();
    t.venue.applyTick('BTCUSDT', btcTop(60_010, 7));
    await ws.next((m) => m.e === 'bookTicker' && m.b === '60009.9');
    ws.ws.terminate();
  });

  async function userStream(): Promise<TestSocket> {
    const key = (await t.call('POST', '/fapi/v1/listenKey', { apiKey: 'KeyOne1111' })).body.listenKey;
    const ws = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/${key}`);
    await ws.opened();
    return ws;
  }

  it('ws-close: the market connection gets a clean close frame with the code and reason', async () => {
    const ws = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/btcusdt@bookTicker`);
    await ws.opened();
    const reason = new Promise<[number, string]>((r) => ws.ws.once('close', (code, why) => r([code, why.toString()])));
    const { recorder } = await inject('ws-close', { stream: 'market', code: 1001, reason: 'maintenance' });
    expect(await reason).toEqual([1001, 'maintenance']);
    expect(recorder.events[0]?.data.connections).toBe(1);
    expect(() => faultKind('ws-close').parse({ stream: 'market', code: 1006 })).toThrow(/close code/);
  });

  it('depth-gap: diff-depth events chain pu -> u, and after the fault the next one skips ahead', async () => {
    const ws = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/btcusdt@depth@100ms`);
    await ws.opened();
    for (let i = 1; i <= 3; i++) t.venue.applyTick('BTCUSDT', btcTop(60_000 + i, i));
    await ws.next((m) => m.e === 'depthUpdate' && ws.messages.length >= 3);
    const chain = ws.messages.filter((m) => m.e === 'depthUpdate');
    for (let i = 1; i < chain.length; i++) expect(chain[i].pu).toBe(chain[i - 1].u);
    // The old top level is removed with quantity 0 when the price moves.
    expect(chain[1].b).toContainEqual(['60000.9', '0.000']);
    await inject('depth-gap', { count: 2 });
    const lastU = chain.at(-1).u;
    for (let i = 4; i <= 6; i++) t.venue.applyTick('BTCUSDT', btcTop(60_000 + i, i));
    const after = await ws.next((m) => m.e === 'depthUpdate' && m.u > lastU);
    expect(after.pu).not.toBe(lastU);
    expect(after.u).toBe(lastU + 3);
    ws.ws.terminate();
  });

  it('listen-key-expire: listenKeyExpired arrives and the socket stays up', async () => {
    const ws = await userStream();
    await inject('listen-key-expire', {});
    await ws.next((m) => m.e === 'listenKeyExpired');
    expect(ws.ws.readyState).toBe(ws.ws.OPEN);
    ws.ws.terminate();
  });

  it('margin-call: MARGIN_CALL arrives for the open position; without one the fault fails', async () => {
    const ws = await userStream();
    await expect(inject('margin-call', {})).rejects.toThrow(/no open position to call margin on/);
    await buy();
    await ws.next((m) => m.e === 'ACCOUNT_UPDATE');
    const { recorder } = await inject('margin-call', {});
    const call = await ws.next((m) => m.e === 'MARGIN_CALL');
    expect(call.p[0]).toMatchObject({ s: 'BTCUSDT', ps: 'BOTH', pa: '0.010', mt: 'CROSSED' });
    expect(recorder.events.map((e) => e.type)).toEqual(['margin.call']);
    expect(() => faultKind('margin-call').parse({ symbol: 'X' })).toThrow(/unknown parameter/);
    ws.ws.terminate();
  });

  it('user-events-tamper duplicate: each of the next execution reports arrives twice', async () => {
    const ws = await userStream();
    await inject('user-events-tamper', { mode: 'duplicate', count: 2 });
    await buy();
    await ws.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.X === 'FILLED');
    await new Promise((r) => setTimeout(r, 100));
    const updates = ws.messages.filter((m) => m.e === 'ORDER_TRADE_UPDATE');
    expect(updates.length).toBe(4);
    expect(JSON.stringify(updates[0])).toBe(JSON.stringify(updates[1]));
    ws.ws.terminate();
  });

  it('partial-fills: an order fills in slices with per-slice l and cumulative z, then normally after heal', async () => {
    const ws = await userStream();
    const { active } = await inject('partial-fills', { slices: 3, intervalMs: 30 });
    await buy('0.030');
    await ws.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.X === 'FILLED', 3000);
    const trades = ws.messages.filter((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.x === 'TRADE').map((m) => [m.o.X, m.o.l, m.o.z]);
    expect(trades).toEqual([
      ['PARTIALLY_FILLED', '0.010', '0.010'],
      ['PARTIALLY_FILLED', '0.010', '0.020'],
      ['FILLED', '0.010', '0.030'],
    ]);
    await active.heal();
    const fillsBefore = t.recorder.events.filter((e) => e.type === 'order.fill').length;
    await buy('0.010');
    await new Promise((r) => setTimeout(r, 100));
    expect(t.recorder.events.filter((e) => e.type === 'order.fill').length).toBe(fillsBefore + 1);
    ws.ws.terminate();
  });
});
