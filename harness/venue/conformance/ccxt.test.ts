/**
 * Conformance: ccxt (npm) `binanceusdm`, unchanged, with only its URLs pointed at the venue.
 * A new endpoint is not done until a real client has called it; this is where ccxt calls them.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT1, BOT2, btcTop, startTestVenue, type TestVenue } from '../testing.ts';
import { allUrls, type CcxtVenue, ccxtForVenue } from './ccxt-client.ts';

const BTC = 'BTC/USDT:USDT';
let t: TestVenue;
let c: CcxtVenue;
let tick = 0;
/** Mid of the background market; tests move it to trigger conditional orders. */
let base = 65000;
let ticker: NodeJS.Timeout;

const ethTop = (mid: number) => ({ i: 0, bid: mid - 0.01, ask: mid + 0.01, bidQty: 10, askQty: 10, mid });

beforeAll(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
  t.venue.applyTick('ETHUSDT', ethTop(3000));
  // A slow, flat-ish market keeps the streams alive without moving prices across resting orders.
  ticker = setInterval(() => t.venue.applyTick('BTCUSDT', btcTop(base + (++tick % 2) * 0.2, tick)), 50);
  c = await ccxtForVenue(t.venue.portFor('bot-1'), BOT1.apiKey, BOT1.apiSecret);
});

afterAll(async () => {
  clearInterval(ticker);
  await c?.exchange.close();
  await t?.venue.stop();
});

describe('ccxt binanceusdm against the venue', () => {
  it('has every REST and WebSocket URL on loopback', () => {
    const urls = allUrls({ api: c.exchange.urls.api, test: c.exchange.urls.test, demo: c.exchange.urls.demo });
    expect(urls.length).toBeGreaterThan(20);
    for (const u of urls) expect(u).toMatch(/^(http|ws):\/\/127\.0\.0\.1:\d+\//);
  });

  it('loadMarkets reads exchangeInfo only, with the venue filters as precision and limits', async () => {
    const markets = await c.exchange.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    const btc = markets[BTC];
    expect(btc).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT', contractSize: 1 });
    expect(btc?.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(btc?.limits.amount).toMatchObject({ min: 0.001, max: 1000 });
    expect(btc?.limits.market).toMatchObject({ min: 0.001, max: 120 });
    expect(btc?.limits.cost?.min).toBe(100);
    expect(c.requests).toEqual(['GET /fapi/v1/exchangeInfo']);
  });

  it('fetchBalance reads the v3 account', async () => {
    const b = await c.exchange.fetchBalance();
    expect(b.USDT).toMatchObject({ total: 10000, free: 10000, used: 0 });
  });

  it('creates limit, market and reduce-only orders; positions, open orders, cancel and trades agree', async () => {
    const limit = await c.exchange.createOrder(BTC, 'limit', 'buy', 0.01, 60000);
    expect(limit).toMatchObject({ status: 'open', type: 'limit', side: 'buy', price: 60000, amount: 0.01, filled: 0 });

    const market = await c.exchange.createOrder(BTC, 'market', 'buy', 0.02);
    expect(market).toMatchObject({ status: 'closed', type: 'market', side: 'buy', amount: 0.02, filled: 0.02, remaining: 0 });
    expect(market.average).toBeGreaterThan(64999);

    const reduce = await c.exchange.createOrder(BTC, 'market', 'sell', 0.005, undefined, { reduceOnly: true });
    expect(reduce).toMatchObject({ status: 'closed', reduceOnly: true, filled: 0.005 });

    const positions = await c.exchange.fetchPositions([BTC]);
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.015, marginMode: 'cross' });
    expect(positions[0]?.entryPrice).toBeCloseTo(market.average as number, 6);

    const open = await c.exchange.fetchOpenOrders(BTC);
    expect(open.map((o) => o.id)).toEqual([limit.id]);

    const cancelled = await c.exchange.cancelOrder(limit.id as string, BTC);
    expect(cancelled).toMatchObject({ id: limit.id, status: 'canceled' });
    expect(await c.exchange.fetchOpenOrders(BTC)).toEqual([]);

    const trades = await c.exchange.fetchMyTrades(BTC);
    expect(trades.map((tr) => [tr.order, tr.side, tr.amount, tr.takerOrMaker])).toEqual([
      [market.id, 'buy', 0.02, 'taker'],
      [reduce.id, 'sell', 0.005, 'taker'],
    ]);
    for (const tr of trades) expect(tr.fee).toMatchObject({ currency: 'USDT', cost: expect.closeTo((tr.cost as number) * 0.0005, 8) });

    // Balance moved by exactly the fees and the realised PnL of the reduce-only close.
    const fees = trades.reduce((s, tr) => s + (tr.fee?.cost ?? 0), 0);
    const realized = trades.reduce((s, tr) => s + Number((tr.info as { realizedPnl: string }).realizedPnl), 0);
    const b = await c.exchange.fetchBalance();
    const wallet = Number((b.info as { totalWalletBalance: string }).totalWalletBalance);
    expect(wallet).toBeCloseTo(10000 - fees + realized, 6);
    // ccxt's total is the margin balance: wallet plus unrealised PnL.
    expect(b.USDT?.total).toBeCloseTo(wallet + Number((b.info as { totalUnrealizedProfit: string }).totalUnrealizedProfit), 6);
  });

  // ccxt picks its linear-futures error map by hostname (fapi.binance.com), so behind overridden
  // URLs it falls back to its common map: the class can be generic, the Binance code must be exact.
  it('surfaces venue rejections as ccxt errors carrying Binance codes and messages', async () => {
    const rejects = async (p: Promise<unknown>, body: string) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ccxt.ExchangeError);
      expect((err as Error).message).toContain(body);
    };
    // Flat on ETH: a reduce-only order cannot reduce anything.
    await rejects(
      c.exchange.createOrder('ETH/USDT:USDT', 'market', 'sell', 0.01, undefined, { reduceOnly: true }),
      '{"code":-2022,"msg":"ReduceOnly Order is rejected."}',
    );
    await rejects(
      c.exchange.createOrder(BTC, 'limit', 'buy', 0.001, 60000),
      '{"code":-4164,"msg":"Order\'s notional must be no smaller than 100 (unless you choose reduce only)."}',
    );
    await rejects(c.exchange.cancelOrder('123', BTC), '{"code":-2011,"msg":"Unknown order sent."}');
    const small = await ccxtForVenue(t.venue.portFor('bot-2'), BOT2.apiKey, BOT2.apiSecret);
    try {
      await small.exchange.loadMarkets();
      await rejects(small.exchange.createOrder(BTC, 'market', 'buy', 0.1), '{"code":-2019,"msg":"Margin is insufficient."}');
    } finally {
      await small.exchange.close();
    }
  });

  it('only ever called /fapi paths the venue serves (no 404, no 5xx)', () => {
    for (const r of c.requests) expect(r).toMatch(/^(GET|POST|PUT|DELETE) \/fapi\/v[123]\//);
    const failed = t.recorder.of('http.request').filter((e) => (e.data.status as number) >= 500 || e.data.status === 404);
    expect(failed).toEqual([]);
  });

  it('stop-loss and take-profit go to the algo endpoints; open, cancel and trigger work', async () => {
    // Long 0.015 from the previous test.
    const sl = await c.exchange.createOrder(BTC, 'market', 'sell', 0.015, undefined, { stopLossPrice: 64000, reduceOnly: true });
    expect(sl).toMatchObject({ status: 'open', triggerPrice: 64000, reduceOnly: true });
    const tp = await c.exchange.createOrder(BTC, 'market', 'sell', 0.005, undefined, { takeProfitPrice: 65500, reduceOnly: true });
    expect(c.requests.filter((r) => r === 'POST /fapi/v1/algoOrder')).toHaveLength(2);

    const open = await c.exchange.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(open.map((o) => o.id).sort()).toEqual([sl.id, tp.id].sort());
    expect(c.requests).toContain('GET /fapi/v1/openAlgoOrders');

    const cancelled = await c.exchange.cancelOrder(sl.id as string, BTC, { trigger: true });
    expect(cancelled.id).toBe(sl.id);
    expect(c.requests).toContain('DELETE /fapi/v1/algoOrder');

    // The market rises through the take-profit trigger: it places a reduce-only market sell.
    base = 65600;
    await expect.poll(() => t.venue.position('bot-1', 'BTCUSDT'), { timeout: 3000 }).toBeCloseTo(0.01, 9);
    base = 65000;
    const fetched = await c.exchange.fetchOrder(tp.id as string, BTC, { trigger: true });
    expect(fetched.status).toBe('closed');
    expect(t.recorder.of('algo.trigger')).toHaveLength(1);
    expect(await c.exchange.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toEqual([]);
  });

  it('watchTicker (pro) subscribes on the routed /market path and gets the venue price', async () => {
    const tk = await c.exchange.watchTicker(BTC);
    expect(tk.symbol).toBe(BTC);
    expect([65000, 65000.2]).toContain(tk.last);
    const open = t.recorder.of('ws.open').find((e) => e.data.kind === 'market');
    expect(open?.data.path).toMatch(/^\/market\/ws\//);
    expect(t.recorder.of('ws.subscribe').flatMap((e) => e.data.streams as string[])).toContain('btcusdt@miniticker');
  });

  it('watchOrders (pro) gets a listen key, connects to /private and sees the order fill', async () => {
    const watching = c.exchange.watchOrders(BTC);
    // Let ccxt create the listen key and connect before the order exists.
    await expect.poll(() => t.recorder.of('ws.open').filter((e) => e.data.kind === 'user').length, { timeout: 3000 }).toBe(1);
    const placed = await c.exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    let orders = await watching;
    while (!orders.some((o) => o.id === placed.id && o.status === 'closed')) orders = await c.exchange.watchOrders(BTC);
    expect(orders.find((o) => o.id === placed.id)).toMatchObject({ status: 'closed', filled: 0.01, remaining: 0, side: 'sell', reduceOnly: true });
    const userOpen = t.recorder.of('ws.open').find((e) => e.data.kind === 'user');
    expect(userOpen?.data).toMatchObject({ listenKeyValid: true });
    expect(userOpen?.data.path).toMatch(/^\/private\/ws\?listenKey=/);
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0);
  });

  it('hedge mode round trip: setPositionMode(true), LONG and SHORT on one symbol, close each, setPositionMode(false)', async () => {
    // Flat with no open orders after the previous test: the mode may change.
    expect(await c.exchange.setPositionMode(true)).toMatchObject({ code: 200, msg: 'success' });
    expect(await c.exchange.fetchPositionMode(BTC)).toMatchObject({ hedged: true });
    // Without a positionSide, hedge mode refuses the order.
    await expect(c.exchange.createOrder(BTC, 'market', 'buy', 0.01)).rejects.toThrow(
      '{"code":-4061,"msg":"Order\'s position side does not match user\'s setting."}',
    );

    const long = await c.exchange.createOrder(BTC, 'market', 'buy', 0.02, undefined, { positionSide: 'LONG' });
    // ccxt's own hedge flag: a plain sell becomes positionSide=SHORT.
    const short = await c.exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { hedged: true });
    expect(long).toMatchObject({ status: 'closed', side: 'buy', filled: 0.02, reduceOnly: false });
    expect(short).toMatchObject({ status: 'closed', side: 'sell', filled: 0.01, reduceOnly: false });
    expect([(long.info as { positionSide: string }).positionSide, (short.info as { positionSide: string }).positionSide]).toEqual(['LONG', 'SHORT']);

    const positions = await c.exchange.fetchPositions([BTC]);
    const bySide = positions.map((p) => [p.side, p.contracts, p.hedged, (p.info as { positionSide: string }).positionSide]).sort();
    expect(bySide).toEqual([
      ['long', 0.02, true, 'LONG'],
      ['short', 0.01, true, 'SHORT'],
    ]);
    expect(positions.find((p) => p.side === 'long')?.entryPrice).toBeCloseTo(long.average as number, 6);
    expect(positions.find((p) => p.side === 'short')?.entryPrice).toBeCloseTo(short.average as number, 6);
    // The mode cannot change while positions are open.
    await expect(c.exchange.setPositionMode(false)).rejects.toThrow('-4068');

    // Close each leg with the opposite side and its positionSide (ccxt: hedged + reduceOnly does the same).
    const closeLong = await c.exchange.createOrder(BTC, 'market', 'sell', 0.02, undefined, { positionSide: 'LONG' });
    const closeShort = await c.exchange.createOrder(BTC, 'market', 'buy', 0.01, undefined, { hedged: true, reduceOnly: true });
    expect(closeLong).toMatchObject({ status: 'closed', side: 'sell', filled: 0.02, reduceOnly: true });
    expect(closeShort).toMatchObject({ status: 'closed', side: 'buy', filled: 0.01, reduceOnly: true });
    expect((closeShort.info as { positionSide: string }).positionSide).toBe('SHORT');
    expect(await c.exchange.fetchPositions([BTC])).toEqual([]);
    // A flat leg has nothing to close.
    await expect(c.exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'LONG' })).rejects.toThrow(
      '{"code":-2022,"msg":"ReduceOnly Order is rejected."}',
    );

    const trades = await c.exchange.fetchMyTrades(BTC);
    const hedgeTrades = trades.slice(-4).map((tr) => [tr.side, (tr.info as { positionSide: string }).positionSide]);
    expect(hedgeTrades).toEqual([
      ['buy', 'LONG'],
      ['sell', 'SHORT'],
      ['sell', 'LONG'],
      ['buy', 'SHORT'],
    ]);
    const news = t.recorder.of('order.new').slice(-4);
    expect(news.map((e) => [e.data.positionSide, e.data.positionBefore, e.data.reduceOnly])).toEqual([
      ['LONG', '0.000', false],
      ['SHORT', '0.000', false],
      ['LONG', '0.020', true],
      ['SHORT', '-0.010', true],
    ]);

    expect(await c.exchange.setPositionMode(false)).toMatchObject({ code: 200, msg: 'success' });
    expect(await c.exchange.fetchPositionMode(BTC)).toMatchObject({ hedged: false });
    expect(c.requests).toContain('POST /fapi/v1/positionSide/dual');
    expect(c.requests).toContain('GET /fapi/v1/positionSide/dual');
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0);
  });
});
