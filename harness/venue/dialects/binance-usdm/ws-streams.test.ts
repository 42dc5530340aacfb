import { afterEach, describe, expect, it } from 'vitest';
import { MarketTape } from '../../engine/tape.ts';
import { btcTop, startTestVenue, TestSocket, type TestVenue } from '../../testing.ts';

let t: TestVenue | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.ws.close();
  await t?.venue.stop();
  t = undefined;
});

async function socket(v: TestVenue, path: string): Promise<TestSocket> {
  const s = new TestSocket(`ws://127.0.0.1:${v.venue.portFor('bot-1')}${path}`);
  sockets.push(s);
  await s.opened();
  return s;
}

/** Venue clock offset that puts venue time `msBefore` ms before the next minute boundary. */
function beforeMinute(msBefore: number): number {
  const now = Date.now();
  return Math.ceil((now + msBefore + 50) / 60_000) * 60_000 - msBefore - now;
}

describe('tape streams', () => {
  it('<symbol>@aggTrade carries the bot fills (m = buyer is maker) and synthetic prints, with Binance fields', async () => {
    t = await startTestVenue({ syntheticTrades: true });
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const s = await socket(t, '/ws/btcusdt@aggTrade');
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.004' });
    const own = await s.next((m) => m.e === 'aggTrade');
    expect(Object.keys(own)).toEqual(['e', 'E', 'a', 's', 'p', 'q', 'f', 'l', 'T', 'm']);
    const fill = (await t.signed('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body[0];
    expect(own).toMatchObject({ s: 'BTCUSDT', p: '64999.9', q: '0.004', f: fill.id, l: fill.id, T: fill.time, m: true });
    t.venue.applyTick('BTCUSDT', btcTop(65001, 1));
    const up = await s.next((m) => m.a > own.a);
    // The mid rose: a synthetic buyer lifted the ask (buyer is the taker).
    expect(up).toMatchObject({ p: '65001.1', m: false, a: own.a + 1 });
    expect(up.f).toBeGreaterThan(fill.id);
    expect(Number(up.q)).toBeGreaterThan(0);
    t.venue.applyTick('BTCUSDT', btcTop(65000, 2));
    expect(await s.next((m) => m.a > up.a)).toMatchObject({ p: '64999.9', m: true });
    // The tape feeds the 24hr ticker: three trades.
    expect((await t.call('GET', '/fapi/v1/ticker/24hr', { query: 'symbol=BTCUSDT' })).body).toMatchObject({ count: 3, firstId: fill.id, lastId: up.f + 1 });
  });

  it('without synthetic trades the tape is the venue executions only', async () => {
    t = await startTestVenue();
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    t.venue.applyTick('BTCUSDT', btcTop(65010, 1));
    expect((await t.call('GET', '/fapi/v1/ticker/24hr', { query: 'symbol=BTCUSDT' })).body).toMatchObject({ count: 0, volume: '0.000' });
  });

  it('<symbol>@markPrice every 3 s, @markPrice@1s every second, !markPrice@arr for all symbols; fields as premiumIndex', async () => {
    t = await startTestVenue();
    const v = t;
    const slow = await socket(v, '/ws/btcusdt@markPrice');
    const fast = await socket(v, '/stream?streams=btcusdt@markPrice@1s/!markPrice@arr@1s');
    v.venue.applyTick('ETHUSDT', { i: 0, bid: 2999.99, ask: 3000.01, bidQty: 10, askQty: 10, mid: 3000 });
    let i = 0;
    const timer = setInterval(() => v.venue.applyTick('BTCUSDT', btcTop(65000 + (++i % 3), i)), 100);
    try {
      await fast.next((m) => fast.messages.filter((x) => x.stream === 'btcusdt@markPrice@1s').length >= 2 && m.stream !== undefined, 3500);
    } finally {
      clearInterval(timer);
    }
    const ones = fast.messages.filter((m) => m.stream === 'btcusdt@markPrice@1s').map((m) => m.data);
    expect(ones[1].E - ones[0].E).toBeGreaterThanOrEqual(1000);
    expect(ones[1].E - ones[0].E).toBeLessThan(1300);
    expect(slow.messages).toHaveLength(1); // the first push; the next is 3 s later
    const mark = slow.messages[0];
    expect(Object.keys(mark)).toEqual(['e', 'E', 's', 'p', 'i', 'P', 'r', 'T']);
    const premium = (await v.call('GET', '/fapi/v1/premiumIndex', { query: 'symbol=BTCUSDT' })).body;
    expect(mark).toMatchObject({ e: 'markPriceUpdate', s: 'BTCUSDT', r: premium.lastFundingRate, T: premium.nextFundingTime });
    expect(mark.p).toMatch(/^6500[0-2]\.0{8}$/);
    expect(mark.i).toBe(mark.p);
    const arr = fast.messages.filter((m) => m.stream === '!markPrice@arr@1s').at(-1)?.data;
    expect(arr.map((x: { s: string }) => x.s).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(arr.find((x: { s: string }) => x.s === 'ETHUSDT').p).toBe('3000.00000000');
  });

  it('<symbol>@kline_1m pushes the open candle (x=false) and the closed one (x=true) when a tick opens the next minute', async () => {
    t = await startTestVenue({ serverTimeOffsetMs: beforeMinute(700), syntheticTrades: true });
    const v = t;
    v.venue.applyTick('BTCUSDT', btcTop(65000));
    const s = await socket(v, '/ws/btcusdt@kline_1m');
    let i = 0;
    const mids = [65000, 65004, 64997, 65002];
    const timer = setInterval(() => v.venue.applyTick('BTCUSDT', btcTop(mids[++i % mids.length] as number, i)), 100);
    let closed: { k: Record<string, unknown> };
    try {
      closed = await s.next((m) => m.k.x === true, 3000);
      await s.next((m) => m.k.x === false && m.k.t === (closed.k.t as number) + 60_000, 2000);
    } finally {
      clearInterval(timer);
    }
    const k = closed.k;
    expect(Object.keys(closed)).toEqual(['e', 'E', 's', 'k']);
    expect(Object.keys(k)).toEqual(['t', 'T', 's', 'i', 'f', 'L', 'o', 'c', 'h', 'l', 'v', 'n', 'x', 'q', 'V', 'Q', 'B']);
    expect(k).toMatchObject({ s: 'BTCUSDT', i: '1m', o: '65000.0', T: (k.t as number) + 59_999 });
    expect((k.t as number) % 60_000).toBe(0);
    expect(Number(k.h)).toBeGreaterThanOrEqual(Number(k.o));
    expect(Number(k.n)).toBeGreaterThan(0);
    const open = s.messages.filter((m) => m.k.x === false && m.k.t === k.t);
    expect(open.length).toBeGreaterThan(0);
    // Throttled to 250 ms.
    for (let j = 1; j < open.length; j++) expect(open[j].E - open[j - 1].E).toBeGreaterThanOrEqual(250);
    // REST klines agree with the stream's closed candle.
    const rows = (await v.call('GET', '/fapi/v1/klines', { query: `symbol=BTCUSDT&interval=1m&startTime=${k.t}&limit=1` })).body;
    expect(rows).toEqual([[k.t, k.o, k.h, k.l, k.c, k.v, k.T, k.q, k.n, k.V, k.Q, '0']]);
  });
});

describe('GET /fapi/v1/klines', () => {
  it('follows Binance selection rules and validates its parameters', async () => {
    t = await startTestVenue();
    const base = Date.UTC(2026, 0, 5, 10, 0, 0); // a Monday
    const tape = new MarketTape();
    for (let m = 0; m < 10; m++) {
      tape.onTick('BTCUSDT', 100 + m, base + m * 60_000 + 5000);
      if (m === 3) tape.trade('BTCUSDT', 1, 103, 2, base + 3 * 60_000 + 6000, false);
    }
    expect(tape.klines('BTCUSDT', '5m', 0, Number.MAX_SAFE_INTEGER, 500, false).map((c) => [c.openTime - base, c.open, c.high, c.close, c.volume])).toEqual([
      [0, 100, 104, 104, 2],
      [300_000, 105, 109, 109, 0],
    ]);
    expect(tape.klines('BTCUSDT', '1m', base + 120_000, Number.MAX_SAFE_INTEGER, 2, true).map((c) => c.open)).toEqual([102, 103]);
    expect(tape.klines('BTCUSDT', '1m', 0, base + 120_000, 2, false).map((c) => c.open)).toEqual([101, 102]);
    expect(tape.klines('BTCUSDT', '1w', 0, Number.MAX_SAFE_INTEGER, 5, false).map((c) => c.openTime)).toEqual([base - 10 * 3_600_000]);
    expect(tape.current('BTCUSDT', '1h')).toMatchObject({ openTime: base, open: 100, close: 109, trades: 1, firstId: 1, lastId: 1 });

    const call = (q: string) => (t as TestVenue).call('GET', '/fapi/v1/klines', { query: q });
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const rows = (await call('symbol=BTCUSDT&interval=1m')).body;
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(1, 6)).toEqual(['65000.0', '65000.0', '65000.0', '65000.0', '0.000']);
    expect((await call('symbol=BTCUSDT&interval=1m&limit=10')).headers.get('x-mbx-used-weight-1m')).toBeDefined();
    expect((await call('symbol=BTCUSDT')).body).toEqual({ code: -1102, msg: "Mandatory parameter 'interval' was not sent, was empty/null, or malformed." });
    expect((await call('interval=1m')).body.code).toBe(-1102);
    expect((await call('symbol=BTCUSDT&interval=7m')).body).toEqual({ code: -1120, msg: 'Invalid interval.' });
    expect((await call('symbol=BTCUSDT&interval=1m&limit=1501')).body.code).toBe(-1130);
    expect((await call('symbol=BTCUSDT&interval=1m&startTime=5&endTime=4')).body.code).toBe(-1023);
    expect((await call('symbol=NOPE&interval=1m')).body.code).toBe(-1121);
    expect((await call('symbol=BTCUSDT&interval=1m&startTime=99999999999999')).body).toEqual([]);
  });
});
