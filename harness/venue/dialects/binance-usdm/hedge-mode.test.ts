import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, btcTop, TestSocket as Socket, startTestVenue, type TestSocket, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
  t.venue.applyTick('ETHUSDT', { i: 0, bid: 2999.99, ask: 3000.01, bidQty: 10, askQty: 10, mid: 3000 });
});
afterEach(() => t.venue.stop());

const order = (side: 'BUY' | 'SELL', quantity: string, extra: Record<string, string> = {}) =>
  t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity, newOrderRespType: 'RESULT', ...extra });

async function hedge(): Promise<void> {
  expect((await t.signed('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' })).body).toEqual({ code: 200, msg: 'success' });
}

async function userSocket(): Promise<TestSocket> {
  const key = (await t.call('POST', '/fapi/v1/listenKey', { apiKey: 'KeyOne1111' })).body.listenKey;
  const ws = new Socket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/${key}`);
  await ws.opened();
  return ws;
}

const MISMATCH = { code: -4061, msg: "Order's position side does not match user's setting." };

describe('an account set up in hedge mode', () => {
  it('reports dualSidePosition true from the start and refuses one-way orders with -4061', async () => {
    const v = await startTestVenue({ accounts: ACCOUNTS.map((a) => ({ ...a, dualSidePosition: true })) });
    try {
      v.venue.applyTick('BTCUSDT', btcTop(65000));
      expect((await v.signed('GET', '/fapi/v1/positionSide/dual', {})).body).toEqual({ dualSidePosition: true });
      const res = await v.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
      expect(res.body).toEqual(MISMATCH);
    } finally {
      await v.venue.stop();
    }
  });
});

describe('hedge mode (dualSidePosition=true)', () => {
  it('requires positionSide LONG or SHORT and refuses reduceOnly; one-way mode refuses LONG / SHORT', async () => {
    expect((await order('BUY', '0.01', { positionSide: 'LONG' })).body).toEqual(MISMATCH);
    await hedge();
    expect((await order('BUY', '0.01')).body).toEqual(MISMATCH);
    expect((await order('BUY', '0.01', { positionSide: 'BOTH' })).body).toEqual(MISMATCH);
    expect((await order('BUY', '0.01', { positionSide: 'long' })).body).toEqual(MISMATCH);
    expect((await order('SELL', '0.01', { positionSide: 'LONG', reduceOnly: 'true' })).body).toEqual({
      code: -1106,
      msg: "Parameter 'reduceOnly' sent when not required.",
    });
    expect((await order('BUY', '0.01', { positionSide: 'LONG', reduceOnly: 'false' })).body.code).toBe(-1106);
    // Closing a flat leg reduces nothing: Binance's implicit reduce-only answer.
    expect((await order('SELL', '0.01', { positionSide: 'LONG' })).body).toEqual({ code: -2022, msg: 'ReduceOnly Order is rejected.' });
    const rejects = t.recorder.of('order.reject').map((e) => e.data.code);
    expect(rejects).toEqual([-4061, -4061, -4061, -4061, -1106, -1106, -2022]);
    expect(t.recorder.of('order.new')).toEqual([]);
  });

  it('keeps a LONG and a SHORT position per symbol, each with its own entry, PnL and margin', async () => {
    const ws = await userSocket();
    await hedge();
    const long = await order('BUY', '0.020', { positionSide: 'LONG' });
    expect(long.body).toMatchObject({ status: 'FILLED', positionSide: 'LONG', side: 'BUY', reduceOnly: false, executedQty: '0.020' });
    t.venue.applyTick('BTCUSDT', btcTop(65100));
    const short = await order('SELL', '0.010', { positionSide: 'SHORT' });
    expect(short.body).toMatchObject({ status: 'FILLED', positionSide: 'SHORT', side: 'SELL', reduceOnly: false });
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.01);

    const v3 = (await t.signed('GET', '/fapi/v3/positionRisk', {})).body;
    expect(
      v3.map((r: { symbol: string; positionSide: string; positionAmt: string; entryPrice: string }) => [r.symbol, r.positionSide, r.positionAmt, r.entryPrice]),
    ).toEqual([
      ['BTCUSDT', 'LONG', '0.020', '65000.10000000'],
      ['BTCUSDT', 'SHORT', '-0.010', '65099.90000000'],
    ]);
    // Mark 65100: the long is up 0.02 * 99.9, the short down 0.01 * 0.1.
    expect(v3[0]).toMatchObject({ unRealizedProfit: '1.99800000', notional: '1302.00000000', initialMargin: '65.10000000' });
    expect(v3[1]).toMatchObject({ unRealizedProfit: '-0.00100000', notional: '-651.00000000', initialMargin: '32.55000000' });
    const v2 = (await t.signed('GET', '/fapi/v2/positionRisk', {})).body;
    expect(v2.map((r: { symbol: string; positionSide: string; positionAmt: string }) => [r.symbol, r.positionSide, r.positionAmt])).toEqual([
      ['BTCUSDT', 'LONG', '0.020'],
      ['BTCUSDT', 'SHORT', '-0.010'],
      ['ETHUSDT', 'LONG', '0.000'],
      ['ETHUSDT', 'SHORT', '0.000'],
    ]);
    const account = (await t.signed('GET', '/fapi/v3/account', {})).body;
    expect(account.positions.map((p: { positionSide: string; positionAmt: string }) => [p.positionSide, p.positionAmt])).toEqual([
      ['LONG', '0.020'],
      ['SHORT', '-0.010'],
    ]);
    // Both legs hold margin: hedge mode does not net them.
    expect(account.totalPositionInitialMargin).toBe('97.65000000');
    const accountV2 = (await t.signed('GET', '/fapi/v2/account', {})).body;
    expect(accountV2.positions.map((p: { symbol: string; positionSide: string }) => `${p.symbol}:${p.positionSide}`)).toEqual([
      'BTCUSDT:LONG',
      'BTCUSDT:SHORT',
      'ETHUSDT:LONG',
      'ETHUSDT:SHORT',
    ]);

    // Close the short with BUY SHORT: reduce-only by nature, realises on the short's entry only.
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const cover = await order('BUY', '0.010', { positionSide: 'SHORT' });
    expect(cover.body).toMatchObject({ status: 'FILLED', positionSide: 'SHORT', side: 'BUY', reduceOnly: true });
    const trades = (await t.signed('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body;
    expect(trades.map((x: { positionSide: string; side: string; realizedPnl: string }) => [x.positionSide, x.side, x.realizedPnl])).toEqual([
      ['LONG', 'BUY', '0.00000000'],
      ['SHORT', 'SELL', '0.00000000'],
      // (65099.9 - 65000.1) * 0.01
      ['SHORT', 'BUY', '0.99800000'],
    ]);
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(0.02);

    const update = await ws.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.x === 'TRADE' && m.o.ps === 'SHORT' && m.o.S === 'BUY');
    expect(update.o).toMatchObject({ R: true, rp: '0.99800000', X: 'FILLED' });
    const acct = await ws.next((m) => m.e === 'ACCOUNT_UPDATE' && m.a.P[0].ps === 'SHORT' && m.a.P[0].pa === '0.000');
    expect(acct.a.P).toEqual([expect.objectContaining({ s: 'BTCUSDT', ps: 'SHORT', ep: '0.00000000', cr: '0.99800000' })]);
    const longUpdate = await ws.next((m) => m.e === 'ACCOUNT_UPDATE' && m.a.P[0].ps === 'LONG');
    expect(longUpdate.a.P[0]).toMatchObject({ pa: '0.020', ep: '65000.10000000' });
    ws.ws.close();

    // History: positionBefore is the leg's signed quantity, positionSide names the leg.
    const news = t.recorder.of('order.new').map((e) => [e.data.side, e.data.positionSide, e.data.positionBefore, e.data.reduceOnly]);
    expect(news).toEqual([
      ['BUY', 'LONG', '0.000', false],
      ['SELL', 'SHORT', '0.000', false],
      ['BUY', 'SHORT', '-0.010', true],
    ]);
    expect(t.recorder.of('order.fill').map((e) => [e.data.positionSide, e.data.positionAfter])).toEqual([
      ['LONG', '0.020'],
      ['SHORT', '-0.010'],
      ['SHORT', '0.000'],
    ]);
    // A position is open: the mode stays.
    expect((await t.signed('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'false' })).body.code).toBe(-4068);
  });

  it('a close larger than its leg fills the leg and expires the rest; the other leg is untouched', async () => {
    await hedge();
    await order('BUY', '0.010', { positionSide: 'LONG' });
    await order('SELL', '0.005', { positionSide: 'SHORT' });
    const close = await order('SELL', '0.030', { positionSide: 'LONG' });
    expect(close.body).toMatchObject({ status: 'EXPIRED', executedQty: '0.010', reduceOnly: true, positionSide: 'LONG' });
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(-0.005);
    const v3 = (await t.signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })).body;
    expect(v3.map((r: { positionSide: string; positionAmt: string }) => [r.positionSide, r.positionAmt])).toEqual([['SHORT', '-0.005']]);
    // Closing orders need no margin and waive MIN_NOTIONAL (0.001 BTC is ~65 USDT < 100).
    expect((await order('BUY', '0.001', { positionSide: 'SHORT' })).body).toMatchObject({ status: 'FILLED', reduceOnly: true });
    expect((await order('BUY', '0.001', { positionSide: 'LONG' })).body.code).toBe(-4164);
  });

  it('algo orders: positionSide follows the mode, closePosition closes its leg only', async () => {
    await hedge();
    const algo = (params: Record<string, string>) =>
      t.signed('POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', type: 'STOP_MARKET', ...params });
    expect((await algo({ side: 'SELL', triggerPrice: '64000', closePosition: 'true' })).body).toEqual(MISMATCH);
    expect((await algo({ side: 'SELL', positionSide: 'LONG', triggerPrice: '64000', quantity: '0.01', reduceOnly: 'true' })).body.code).toBe(-1106);
    expect((await algo({ side: 'BUY', positionSide: 'LONG', triggerPrice: '66000', closePosition: 'true' })).body.code).toBe(-1130);
    await order('BUY', '0.010', { positionSide: 'LONG' });
    await order('SELL', '0.020', { positionSide: 'SHORT' });
    const sl = await algo({ side: 'SELL', positionSide: 'LONG', triggerPrice: '64000', closePosition: 'true' });
    expect(sl.body).toMatchObject({ positionSide: 'LONG', closePosition: true, reduceOnly: true });
    t.venue.applyTick('BTCUSDT', btcTop(63900));
    expect(t.venue.position('bot-1', 'BTCUSDT')).toBe(-0.02);
    const fill = t.recorder.of('order.fill').at(-1);
    expect(fill?.data).toMatchObject({ side: 'SELL', positionSide: 'LONG', lastQty: '0.010', positionAfter: '0.000' });
  });

  it('one-way mode after hedge mode answers as before: BOTH rows, no positionSide in the history', async () => {
    await hedge();
    await order('BUY', '0.010', { positionSide: 'LONG' });
    await order('SELL', '0.010', { positionSide: 'LONG' });
    expect((await t.signed('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'false' })).body).toEqual({ code: 200, msg: 'success' });
    expect((await order('BUY', '0.010')).body).toMatchObject({ positionSide: 'BOTH', reduceOnly: false });
    const v2 = (await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body;
    expect(v2).toEqual([expect.objectContaining({ positionSide: 'BOTH', positionAmt: '0.010' })]);
    const last = t.recorder.of('order.new').at(-1);
    expect(last?.data).not.toHaveProperty('positionSide');
    expect(last?.data.positionBefore).toBe('0.000');
  });
});
