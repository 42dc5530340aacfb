import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
  await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' });
});
afterEach(() => t.venue.stop());

describe('account endpoints', () => {
  it('GET /fapi/v3/account reports wallet after fees, unrealised PnL at mid and the open position', async () => {
    const { status, body } = await t.signed('GET', '/fapi/v3/account', {});
    expect(status).toBe(200);
    // 10000 - taker fee 0.0005 * 0.010 * 65000.1
    expect(body.totalWalletBalance).toBe('9999.67499950');
    expect(body.totalUnrealizedProfit).toBe('-0.00100000');
    expect(body.totalPositionInitialMargin).toBe('32.50000000');
    expect(body.availableBalance).toBe('9967.17399950');
    expect(body.assets).toHaveLength(1);
    expect(body.assets[0]).toMatchObject({ asset: 'USDT', walletBalance: '9999.67499950' });
    expect(body.positions).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', positionSide: 'BOTH', positionAmt: '0.010', notional: '650.00000000' })]);
  });

  it('GET /fapi/v2/positionRisk lists every symbol in one-way mode, or the one asked for', async () => {
    const all = await t.signed('GET', '/fapi/v2/positionRisk', {});
    expect(all.body.map((r: { symbol: string }) => r.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    const one = await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' });
    expect(one.body).toHaveLength(1);
    expect(one.body[0]).toMatchObject({
      symbol: 'BTCUSDT',
      positionAmt: '0.010',
      entryPrice: '65000.10000000',
      markPrice: '65000.00000000',
      unRealizedProfit: '-0.00100000',
      leverage: '20',
      marginType: 'cross',
      positionSide: 'BOTH',
    });
  });

  it('realises PnL into the wallet when the position is closed', async () => {
    t.venue.applyTick('BTCUSDT', btcTop(66000));
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.010', reduceOnly: 'true' });
    const { body } = await t.signed('GET', '/fapi/v3/account', {});
    // +0.010 * (65999.9 - 65000.1) realised, minus both taker fees.
    const expected = 10_000 + 9.998 - 0.0005 * 0.01 * 65000.1 - 0.0005 * 0.01 * 65999.9;
    expect(Number(body.totalWalletBalance)).toBeCloseTo(expected, 6);
    expect(body.positions).toEqual([]);
    expect(t.recorder.of('order.fill')[1]?.data).toMatchObject({ realizedPnl: '9.99800000', positionAfter: '0.000' });
  });

  it('lists dust of other assets beside USDT: not margin, totals unchanged', async () => {
    const v = await startTestVenue({ accounts: ACCOUNTS.map((a) => ({ ...a, dust: { BNB: 0.0004, USDC: 0.37 } })) });
    try {
      const balance = (await v.signed('GET', '/fapi/v2/balance', {})).body;
      expect(balance.map((r: { asset: string }) => r.asset)).toEqual(['USDT', 'BNB', 'USDC']);
      expect(balance[1]).toMatchObject({ asset: 'BNB', balance: '0.00040000', availableBalance: '0.00000000', marginAvailable: false });
      const v3 = (await v.signed('GET', '/fapi/v3/account', {})).body;
      expect(v3.assets.map((a: { asset: string; walletBalance: string }) => [a.asset, a.walletBalance])).toEqual([
        ['USDT', '10000.00000000'],
        ['BNB', '0.00040000'],
        ['USDC', '0.37000000'],
      ]);
      expect(v3.totalWalletBalance).toBe('10000.00000000');
      const v2 = (await v.signed('GET', '/fapi/v2/account', {})).body;
      expect(v2.assets.map((a: { marginAvailable: boolean }) => a.marginAvailable)).toEqual([true, false, false]);
    } finally {
      await v.venue.stop();
    }
  });
});
