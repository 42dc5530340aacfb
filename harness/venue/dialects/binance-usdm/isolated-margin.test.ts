/**
 * Isolated-margin arithmetic as a bot reads it: the position's margin leaves the cross wallet,
 * its PnL does not move the cross available balance, its liquidation price follows Binance's
 * formula, and a close returns the margin.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

const market = (side: 'BUY' | 'SELL', quantity: string) => t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity });
const num = (s: string) => Number(s);

async function snapshot() {
  const account = (await t.signed('GET', '/fapi/v3/account', {})).body;
  const risk = (await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body[0];
  const risk3 = (await t.signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })).body[0];
  const balance = (await t.signed('GET', '/fapi/v2/balance', {})).body[0];
  return { account, risk, risk3, balance };
}

describe('isolated margin', () => {
  it('sets the initial margin aside, keeps isolated PnL out of the cross balance, and returns it on close', async () => {
    await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' });
    await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    expect((await market('BUY', '0.100')).status).toBe(200);

    const open = await snapshot();
    const wallet = num(open.account.totalWalletBalance);
    // Bought 0.1 at the ask 65000.1: 325.0005 USDT of margin at 20x, taken out of the cross wallet.
    expect(num(open.risk.isolatedWallet)).toBeCloseTo(325.0005, 6);
    expect(num(open.risk3.isolatedWallet)).toBeCloseTo(325.0005, 6);
    expect(num(open.account.totalCrossWalletBalance)).toBeCloseTo(wallet - 325.0005, 6);
    expect(num(open.balance.crossWalletBalance)).toBeCloseTo(wallet - 325.0005, 6);
    expect(open.risk.marginType).toBe('isolated');
    // isolatedMargin = isolated wallet + unrealised PnL (mark 65000: -0.01).
    expect(num(open.risk.isolatedMargin)).toBeCloseTo(325.0005 - 0.01, 6);
    // Binance's formula for an isolated long: (IW - |q| * EP) / (|q| * MMR - |q|), MMR 0.4%.
    const lp = (325.0005 - 0.1 * 65000.1) / (0.1 * 0.004 - 0.1);
    expect(num(open.risk.liquidationPrice)).toBeCloseTo(lp, 4);
    expect(num(open.risk3.liquidationPrice)).toBeCloseTo(lp, 4);
    const availableOpen = num(open.account.availableBalance);
    expect(availableOpen).toBeCloseTo(wallet - 325.0005, 6);

    // A 2,000 USDT drop: the isolated margin absorbs the loss; the cross available balance does not move.
    t.venue.applyTick('BTCUSDT', btcTop(63000));
    const down = await snapshot();
    expect(num(down.risk.unRealizedProfit)).toBeCloseTo(-200.01, 6);
    expect(num(down.risk.isolatedMargin)).toBeCloseTo(325.0005 - 200.01, 6);
    expect(num(down.account.availableBalance)).toBeCloseTo(availableOpen, 6);
    expect(num(down.account.totalCrossUnPnl)).toBe(0);
    expect(num(down.account.totalUnrealizedProfit)).toBeCloseTo(-200.01, 6);

    // Closing returns the margin: no isolated wallet left, the wallet carries the realised loss and fees.
    expect((await market('SELL', '0.100')).status).toBe(200);
    const closed = await snapshot();
    expect(num(closed.risk.isolatedWallet)).toBe(0);
    expect(num(closed.account.totalCrossWalletBalance)).toBeCloseTo(num(closed.account.totalWalletBalance), 8);
    const realized = 0.1 * (62999.9 - 65000.1);
    const fees = 0.1 * 65000.1 * 0.0005 + 0.1 * 62999.9 * 0.0005;
    expect(num(closed.account.totalWalletBalance)).toBeCloseTo(10_000 + realized - fees, 6);
  });

  it('the same trade under cross margin lets the loss reduce the available balance', async () => {
    await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' });
    await market('BUY', '0.100');
    const open = await snapshot();
    expect(num(open.risk.isolatedWallet)).toBe(0);
    expect(num(open.risk.isolatedMargin)).toBe(0);
    expect(open.account.totalCrossWalletBalance).toBe(open.account.totalWalletBalance);
    // 10,000 USDT of cross wallet covers the whole 6,500 notional: no price liquidates it.
    expect(num(open.risk.liquidationPrice)).toBe(0);
    t.venue.applyTick('BTCUSDT', btcTop(63000));
    const down = await snapshot();
    // The loss comes off the available balance; the margin held at the lower mark shrinks by 0.1 * 2000 / 20.
    expect(num(down.account.availableBalance)).toBeCloseTo(num(open.account.availableBalance) - 200 + (0.1 * 2000) / 20, 4);
  });

  it('an isolated position whose margin cannot be met is refused from the cross balance (-2019)', async () => {
    await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '1' });
    await t.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    // 0.2 BTC at 1x needs 13,000 USDT of isolated margin; the account has 10,000.
    expect((await market('BUY', '0.200')).body).toEqual({ code: -2019, msg: 'Margin is insufficient.' });
    expect((await market('BUY', '0.100')).status).toBe(200);
    // The 6,500 set aside is gone from what the next order can use.
    expect((await market('BUY', '0.100')).body.code).toBe(-2019);
  });
});
