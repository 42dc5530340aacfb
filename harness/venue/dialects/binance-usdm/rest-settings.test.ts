import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, BOT2, btcTop, TestSocket as Socket, startTestVenue, type TestSocket, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

const market = (side: 'BUY' | 'SELL', quantity: string, account = undefined as typeof BOT2 | undefined) =>
  t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity }, account ? { account } : {});

async function userSocket(): Promise<TestSocket> {
  const key = (await t.call('POST', '/fapi/v1/listenKey', { apiKey: 'KeyOne1111' })).body.listenKey;
  const ws = new Socket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/${key}`);
  await ws.opened();
  return ws;
}

describe('account settings endpoints', () => {
  it('POST /fapi/v1/leverage changes the leverage the margin check uses, with Binance answers and ACCOUNT_CONFIG_UPDATE', async () => {
    const ws = await userSocket();
    // bot-2 has 50 USDT: at 20x it can open 1000 USDT of notional, at 2x only 100.
    await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '2' }, { account: BOT2 });
    expect((await market('BUY', '0.005', BOT2)).body).toEqual({ code: -2019, msg: 'Margin is insufficient.' });
    const up = await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' }, { account: BOT2 });
    expect(up.body).toEqual({ leverage: 20, maxNotionalValue: '50000000', symbol: 'BTCUSDT' });
    expect((await market('BUY', '0.005', BOT2)).status).toBe(200);
    // Holding ~325 USDT of notional on 50 USDT: 2x would need 162 USDT of margin.
    const down = await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '2' }, { account: BOT2 });
    expect(down.body).toEqual({ code: -2028, msg: 'Leverage is smaller than permitted: insufficient margin balance.' });
    const risk = await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' }, { account: BOT2 });
    expect(risk.body[0]).toMatchObject({ leverage: '20', maxNotionalValue: '50000000' });

    const lev = await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '125' });
    expect(lev.body).toEqual({ leverage: 125, maxNotionalValue: '50000', symbol: 'BTCUSDT' });
    expect((await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '126' })).body).toEqual({
      code: -4028,
      msg: 'Leverage 126 is not valid',
    });
    expect((await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '0' })).body.code).toBe(-4028);
    expect((await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT' })).body.code).toBe(-1102);
    expect((await t.signed('POST', '/fapi/v1/leverage', { symbol: 'NOPE', leverage: '5' })).body.code).toBe(-1121);
    const event = await ws.next((m) => m.e === 'ACCOUNT_CONFIG_UPDATE');
    expect(event).toMatchObject({ ac: { s: 'BTCUSDT', l: 125 } });
    expect(typeof event.E).toBe('number');
    expect(t.recorder.of('account.leverage').map((e) => [e.instance, e.data.leverage])).toEqual([
      ['bot-2', 2],
      ['bot-2', 20],
      ['bot-1', 125],
    ]);
    ws.ws.close();
  });

  it('POST /fapi/v1/leverage refuses a leverage whose bracket cannot hold the position (-2027)', async () => {
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    await market('BUY', '1'); // 65,000 USDT of notional: above the 125x bracket's 50,000 cap
    const res = await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '125' });
    expect(res.body).toEqual({ code: -2027, msg: 'Exceeded the maximum allowable position at current leverage.' });
  });

  it('POST /fapi/v1/marginType: -4046 when unchanged, ISOLATED reported, refused with orders or a position', async () => {
    const same = await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'CROSSED' });
    expect(same).toMatchObject({ status: 400, body: { code: -4046, msg: 'No need to change margin type.' } });
    const iso = await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    expect(iso.body).toEqual({ code: 200, msg: 'success' });
    expect((await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body[0].marginType).toBe('isolated');
    expect((await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'isolated' })).body.code).toBe(-4046);
    expect((await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'HALF' })).body.code).toBe(-1130);
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '64000' });
    const withOrder = await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'CROSSED' });
    expect(withOrder.body).toEqual({ code: -4047, msg: 'Margin type cannot be changed if there exists open orders.' });
    await t.signed('DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
    await market('BUY', '0.01');
    const withPosition = await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'CROSSED' });
    expect(withPosition.body).toEqual({ code: -4048, msg: 'Margin type cannot be changed if there exists position.' });
    const account = await t.signed('GET', '/fapi/v2/account', {});
    expect(account.body.positions.find((p: { symbol: string }) => p.symbol === 'BTCUSDT').isolated).toBe(true);
  });

  it('position mode: GET, POST with -4059 when unchanged, -4067 / -4068 with open orders / a position', async () => {
    const dual = (v: string) => t.signed('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: v });
    expect((await t.signed('GET', '/fapi/v1/positionSide/dual', {})).body).toEqual({ dualSidePosition: false });
    expect((await dual('false')).body).toEqual({ code: -4059, msg: 'No need to change position side.' });
    expect((await dual('maybe')).body.code).toBe(-1130);
    await market('BUY', '0.01');
    expect((await dual('true')).body).toEqual({ code: -4068, msg: 'Position side cannot be changed if there exists position.' });
    await market('SELL', '0.01');
    const limit = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '60000' };
    expect((await t.signed('POST', '/fapi/v1/order', limit)).status).toBe(200);
    expect((await dual('true')).body).toEqual({ code: -4067, msg: 'Position side cannot be changed if there exists open orders.' });
    await t.signed('DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
    expect((await dual('true')).body).toEqual({ code: 200, msg: 'success' });
    expect((await t.signed('GET', '/fapi/v1/positionSide/dual', {})).body).toEqual({ dualSidePosition: true });
    expect((await dual('true')).body.code).toBe(-4059);
    expect((await dual('false')).body).toEqual({ code: 200, msg: 'success' });
    expect(t.recorder.of('account.positionMode').map((e) => e.data.dualSidePosition)).toEqual([true, false]);
  });

  it('multi-assets mode: GET, POST with -4171 when unchanged and -4167 with an isolated symbol', async () => {
    expect((await t.signed('GET', '/fapi/v1/multiAssetsMargin', {})).body).toEqual({ multiAssetsMargin: false });
    expect((await t.signed('POST', '/fapi/v1/multiAssetsMargin', { multiAssetsMargin: 'false' })).body.code).toBe(-4171);
    expect((await t.signed('POST', '/fapi/v1/multiAssetsMargin', { multiAssetsMargin: 'true' })).body).toEqual({ code: 200, msg: 'success' });
    expect((await t.signed('GET', '/fapi/v1/multiAssetsMargin', {})).body).toEqual({ multiAssetsMargin: true });
    expect((await t.signed('GET', '/fapi/v2/account', {})).body.multiAssetsMargin).toBe(true);
    expect((await t.signed('POST', '/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' })).body.code).toBe(-4168);
    await t.signed('POST', '/fapi/v1/multiAssetsMargin', { multiAssetsMargin: 'false' });
    await t.signed('POST', '/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' });
    expect((await t.signed('POST', '/fapi/v1/multiAssetsMargin', { multiAssetsMargin: 'true' })).body.code).toBe(-4167);
  });
});

describe('GET /fapi/v1/income', () => {
  it('lists the deposit, commissions and realised PnL, oldest first; they add up to the wallet balance', async () => {
    await market('BUY', '0.02');
    t.venue.applyTick('BTCUSDT', btcTop(65100));
    await market('SELL', '0.01');
    const all = await t.signed('GET', '/fapi/v1/income', {});
    expect(all.status).toBe(200);
    expect(all.body.map((r: { incomeType: string }) => r.incomeType)).toEqual(['TRANSFER', 'COMMISSION', 'REALIZED_PNL', 'COMMISSION']);
    expect(all.body[0]).toMatchObject({ symbol: '', income: '10000.00000000', asset: 'USDT', tradeId: '' });
    const pnl = all.body[2];
    expect(pnl).toMatchObject({ symbol: 'BTCUSDT', asset: 'USDT', info: 'REALIZED_PNL' });
    expect(Number(pnl.income)).toBeCloseTo(0.01 * (65099.9 - 65000.1), 6);
    const trades = (await t.signed('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body;
    expect(all.body[1]).toMatchObject({ tradeId: String(trades[0].id), income: `-${trades[0].commission}` });
    expect(new Set(all.body.map((r: { tranId: number }) => r.tranId)).size).toBe(4);
    const wallet = Number((await t.signed('GET', '/fapi/v2/account', {})).body.totalWalletBalance);
    expect(all.body.reduce((s: number, r: { income: string }) => s + Number(r.income), 0)).toBeCloseTo(wallet, 6);

    const fees = await t.signed('GET', '/fapi/v1/income', { incomeType: 'COMMISSION', limit: '1', page: '2' });
    expect(fees.body).toHaveLength(1);
    expect(fees.body[0].tradeId).toBe(String(trades[1].id));
    expect((await t.signed('GET', '/fapi/v1/income', { symbol: 'ETHUSDT' })).body).toEqual([]);
    expect((await t.signed('GET', '/fapi/v1/income', { startTime: String(Date.now() + 60_000) })).body).toEqual([]);
    expect((await t.signed('GET', '/fapi/v1/income', { incomeType: 'PROFIT' })).body.code).toBe(-1130);
    expect((await t.signed('GET', '/fapi/v1/income', { limit: '1001' })).body.code).toBe(-1130);
    expect((await t.signed('GET', '/fapi/v1/income', { startTime: '2', endTime: '1' })).body).toEqual({
      code: -1023,
      msg: 'Start time is greater than end time.',
    });
  });

  it('serves realized PnL booked before the start over pages, still adding up to the wallet, and records each page', async () => {
    const v = await startTestVenue({ accounts: ACCOUNTS.map((a) => ({ ...a, realizedPnlToday: { rows: 1500, totalUsdt: -300 } })) });
    try {
      const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const q = { incomeType: 'REALIZED_PNL', startTime: String(dayStart), limit: '1000' };
      const first = (await v.signed('GET', '/fapi/v1/income', { ...q, page: '1' })).body;
      const second = (await v.signed('GET', '/fapi/v1/income', { ...q, page: '2' })).body;
      expect([first.length, second.length]).toEqual([1000, 500]);
      const all = [...first, ...second];
      expect(all.reduce((s: number, r: { income: string }) => s + Number(r.income), 0)).toBeCloseTo(-300, 6);
      expect(all.every((r: { time: number; symbol: string }) => r.time >= dayStart && r.time <= Date.now() && r.symbol === 'BTCUSDT')).toBe(true);
      const everything = (await v.signed('GET', '/fapi/v1/income', { limit: '1000', page: '2' })).body.length;
      expect(everything).toBe(501); // + the deposit
      const wallet = Number((await v.signed('GET', '/fapi/v2/account', {})).body.totalWalletBalance);
      expect(wallet).toBeCloseTo(10_000, 6);
      expect(
        v.recorder
          .of('http.request')
          .filter((e) => e.data.path === '/fapi/v1/income')
          .map((e) => e.data.page),
      ).toEqual([
        { rows: 1000, limit: 1000, page: 1, startTime: dayStart },
        { rows: 500, limit: 1000, page: 2, startTime: dayStart },
        expect.objectContaining({ rows: 501, limit: 1000, page: 2 }),
      ]);
    } finally {
      await v.venue.stop();
    }
  });
});
