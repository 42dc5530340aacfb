/**
 * Conformance, part two: ccxt (npm) `binanceusdm` calling the venue's klines, account settings,
 * income and tape streams, and meeting its rate limits. Same rules as ccxt.test.ts: ccxt
 * unchanged, only its URLs pointed at the venue.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT1, btcTop, startTestVenue, type TestVenue } from '../testing.ts';
import { type CcxtVenue, ccxtForVenue } from './ccxt-client.ts';

const BTC = 'BTC/USDT:USDT';
let t: TestVenue;
let c: CcxtVenue;
let ticker: NodeJS.Timeout;

beforeAll(async () => {
  t = await startTestVenue({ syntheticTrades: true });
  t.venue.applyTick('BTCUSDT', btcTop(65000));
  t.venue.applyTick('ETHUSDT', { i: 0, bid: 2999.99, ask: 3000.01, bidQty: 10, askQty: 10, mid: 3000 });
  let i = 0;
  ticker = setInterval(() => t.venue.applyTick('BTCUSDT', btcTop(65000 + (++i % 2) * 0.2, i)), 50);
  c = await ccxtForVenue(t.venue.portFor('bot-1'), BOT1.apiKey, BOT1.apiSecret);
  await c.exchange.loadMarkets();
});

afterAll(async () => {
  clearInterval(ticker);
  await c?.exchange.close();
  await t?.venue.stop();
});

describe('ccxt binanceusdm: klines, settings, income, tape streams', () => {
  it('fetchOHLCV reads /fapi/v1/klines', async () => {
    const candles = await c.exchange.fetchOHLCV(BTC, '1m', undefined, 5);
    expect(c.requests).toContain('GET /fapi/v1/klines');
    expect(candles.length).toBeGreaterThanOrEqual(1);
    const [time, open, high, low, close, volume] = candles.at(-1) as number[];
    expect((time as number) % 60_000).toBe(0);
    expect(low).toBeLessThanOrEqual(Math.min(open as number, close as number));
    expect(high).toBeGreaterThanOrEqual(65000);
    expect(volume).toBeGreaterThan(0); // synthetic prints
    const hourly = await c.exchange.fetchOHLCV(BTC, '1h', Date.now() - 3_600_000);
    expect(hourly.length).toBeGreaterThanOrEqual(1);
  });

  it('setLeverage, setMarginMode (cross: already set, isolated: switched) and setPositionMode (false: already set; true, then back)', async () => {
    const lev = await c.exchange.setLeverage(10, BTC);
    expect(lev).toMatchObject({ leverage: 10, symbol: 'BTCUSDT', maxNotionalValue: '80000000' });
    // -4046 "No need to change margin type." is not an error for ccxt when it maps the code; behind
    // overridden URLs it uses its common error map, so either outcome must carry Binance's answer.
    const cross = await c.exchange.setMarginMode('cross', BTC).then(
      (r: unknown) => r,
      (e: Error) => e.message,
    );
    expect(JSON.stringify(cross)).toContain('No need to change margin type.');
    expect(await c.exchange.setMarginMode('isolated', BTC)).toMatchObject({ code: 200, msg: 'success' });
    const risk = await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' });
    expect(risk.body[0]).toMatchObject({ marginType: 'isolated', leverage: '10' });
    expect(await c.exchange.setMarginMode('cross', BTC)).toMatchObject({ code: 200, msg: 'success' });
    const oneWay = await c.exchange.setPositionMode(false).then(
      (r: unknown) => JSON.stringify(r),
      (e: Error) => e.message,
    );
    expect(oneWay).toContain('{"code":-4059,"msg":"No need to change position side."}');
    // Hedge mode on and off again (flat, no orders), so later tests trade in one-way mode.
    expect(await c.exchange.setPositionMode(true)).toMatchObject({ code: 200, msg: 'success' });
    expect(await c.exchange.fetchPositionMode(BTC)).toMatchObject({ hedged: true });
    expect(await c.exchange.setPositionMode(false)).toMatchObject({ code: 200, msg: 'success' });
    for (const path of ['POST /fapi/v1/leverage', 'POST /fapi/v1/marginType', 'POST /fapi/v1/positionSide/dual']) expect(c.requests).toContain(path);
  });

  it('fetchFundingRate reads premiumIndex', async () => {
    const fr = await c.exchange.fetchFundingRate(BTC);
    expect(fr).toMatchObject({ symbol: BTC, fundingRate: 0.0001 });
    expect(fr.markPrice).toBeGreaterThan(64999);
    expect(fr.fundingTimestamp).toBeGreaterThan(Date.now());
  });

  it('fetchLedger reads /fapi/v1/income: the deposit, commissions and realised PnL', async () => {
    await c.exchange.createOrder(BTC, 'market', 'buy', 0.01);
    await c.exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    const ledger = await c.exchange.fetchLedger('USDT');
    expect(c.requests).toContain('GET /fapi/v1/income');
    const types = ledger.map((e) => (e.info as { incomeType: string }).incomeType);
    expect(types.filter((x) => x === 'TRANSFER')).toHaveLength(1);
    expect(types.filter((x) => x === 'COMMISSION')).toHaveLength(2);
    // The close realises a gain or loss unless it filled at the entry price.
    const closes = (await t.signed('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body.filter(
      (x: { realizedPnl: string }) => Number(x.realizedPnl) !== 0,
    );
    expect(types.filter((x) => x === 'REALIZED_PNL')).toHaveLength(closes.length);
    const fee = ledger.find((e) => (e.info as { incomeType: string }).incomeType === 'COMMISSION');
    expect(fee).toMatchObject({ currency: 'USDT', direction: 'out', type: 'commission' });
    const wallet = Number(((await c.exchange.fetchBalance()).info as { totalWalletBalance: string }).totalWalletBalance);
    const sum = ledger.reduce((s, e) => s + (e.direction === 'out' ? -1 : 1) * (e.amount as number), 0);
    expect(sum).toBeCloseTo(wallet, 6);
  });

  it('watchTrades (aggTrade), watchOHLCV and watchMarkPrice (pro) get the venue tape', async () => {
    const trades = await c.exchange.watchTrades(BTC, undefined, undefined, { name: 'aggTrade' });
    expect(trades.at(-1)).toMatchObject({ symbol: BTC });
    expect([64999.9, 65000.1, 65000.3, 65000.1]).toContain(trades.at(-1)?.price);
    const ohlcv = await c.exchange.watchOHLCV(BTC, '1m');
    expect((ohlcv.at(-1)?.[0] as number) % 60_000).toBe(0);
    const mark = await c.exchange.watchMarkPrice(BTC);
    expect(mark.symbol).toBe(BTC);
    expect(mark.markPrice).toBeGreaterThan(64999);
    const subscribed = t.recorder.of('ws.subscribe').flatMap((e) => e.data.streams as string[]);
    expect(subscribed).toEqual(expect.arrayContaining(['btcusdt@aggtrade', 'btcusdt@kline_1m']));
    expect(subscribed.some((s) => s.startsWith('btcusdt@markprice'))).toBe(true);
  });
});

describe('ccxt binanceusdm against the venue rate limits', () => {
  it('surfaces 429 (-1003, -1015) and the 418 ban as DDoSProtection with Binance bodies', async () => {
    const limited = await startTestVenue({ rateLimits: { weightPerMinute: 30, ordersPer10s: 2, banAfter: 1, banMs: 60_000 } });
    const x = await ccxtForVenue(limited.venue.portFor('bot-1'), BOT1.apiKey, BOT1.apiSecret);
    try {
      limited.venue.applyTick('BTCUSDT', btcTop(65000));
      await x.exchange.loadMarkets(); // weight 1
      await x.exchange.createOrder(BTC, 'market', 'buy', 0.002);
      await x.exchange.createOrder(BTC, 'market', 'sell', 0.002);
      const orders = await x.exchange.createOrder(BTC, 'market', 'buy', 0.002).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(orders).toBeInstanceOf(ccxt.DDoSProtection);
      expect((orders as Error).message).toContain('429');
      expect((orders as Error).message).toContain('{"code":-1015,"msg":"Too many new orders; current limit is 2 orders per TEN_SECONDS."}');
      const errors: unknown[] = [];
      for (let i = 0; i < 40 && errors.length < 3; i++) {
        await x.exchange.fetchTime().catch((e: unknown) => errors.push(e));
      }
      expect(errors).toHaveLength(3);
      for (const e of errors) expect(e).toBeInstanceOf(ccxt.DDoSProtection);
      const [first, second, ban] = errors.map((e) => (e as Error).message);
      expect(first).toContain('429');
      expect(first).toContain('"code":-1003,"msg":"Too many requests; current limit is 30 requests per minute.');
      expect(second).toContain('429');
      expect(ban).toContain('418');
      expect(ban).toMatch(/"code":-1003,"msg":"Way too many requests; IP banned until \d+\./);
    } finally {
      await x.exchange.close();
      await limited.venue.stop();
    }
  });
});
