/**
 * Funding as a bot sees it: premiumIndex announces the rate and the next funding time; at that
 * time an open long pays notional × rate (ACCOUNT_UPDATE with reason FUNDING_FEE, an income
 * FUNDING_FEE row), a flat account pays nothing, and the incomes still add up to the wallet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BOT2, btcTop, startTestVenue, TestSocket, type TestVenue } from '../../testing.ts';

let t: TestVenue | undefined;
afterEach(() => t?.venue.stop());

const INTERVAL = 400;

describe('funding', () => {
  it('charges open positions at each funding time and reports it on REST and the user stream', async () => {
    const venue = await startTestVenue({ funding: { rate: 0.001, intervalMs: INTERVAL } });
    t = venue;
    venue.venue.applyTick('BTCUSDT', btcTop(65000));
    const premium = (await venue.call('GET', '/fapi/v1/premiumIndex', { query: 'symbol=BTCUSDT' })).body;
    expect(premium.lastFundingRate).toBe('0.00100000');
    expect(premium.nextFundingTime % INTERVAL).toBe(0);
    expect(premium.nextFundingTime).toBeGreaterThan(premium.time);

    const key = (await venue.call('POST', '/fapi/v1/listenKey', { apiKey: 'KeyOne1111' })).body.listenKey;
    const ws = new TestSocket(`ws://127.0.0.1:${venue.venue.portFor('bot-1')}/ws/${key}`);
    await ws.opened();
    expect((await venue.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.100' })).status).toBe(200);

    const update = await ws.next((m) => m.e === 'ACCOUNT_UPDATE' && m.a.m === 'FUNDING_FEE', 3000);
    // A long pays 0.1 × mark 65000 × 0.1 % = 6.5 USDT.
    expect(update.a.P[0]).toMatchObject({ s: 'BTCUSDT', pa: '0.100', ps: 'BOTH' });
    const income = (await venue.signed('GET', '/fapi/v1/income', { incomeType: 'FUNDING_FEE' })).body;
    expect(income.length).toBeGreaterThanOrEqual(1);
    expect(income[0]).toMatchObject({ symbol: 'BTCUSDT', incomeType: 'FUNDING_FEE', income: '-6.50000000', asset: 'USDT', tradeId: '' });
    expect(income[0].time % INTERVAL).toBe(0);
    // The account without a position paid nothing.
    expect((await venue.signed('GET', '/fapi/v1/income', { incomeType: 'FUNDING_FEE' }, { account: BOT2 })).body).toEqual([]);
    // Every income row together is the wallet balance.
    const all = (await venue.signed('GET', '/fapi/v1/income', { limit: '1000' })).body as { income: string }[];
    const wallet = Number((await venue.signed('GET', '/fapi/v3/account', {})).body.totalWalletBalance);
    expect(all.reduce((s, r) => s + Number(r.income), 0)).toBeCloseTo(wallet, 6);
    expect(venue.recorder.of('account.funding')[0]?.data).toMatchObject({ symbol: 'BTCUSDT', amount: -6.5, rate: 0.001 });
    ws.ws.close();
  });

  it('refuses a funding configuration that could not be Binance', async () => {
    await expect(startTestVenue({ funding: { rate: Number.NaN } })).rejects.toThrow(/funding rate/);
    await expect(startTestVenue({ funding: { intervalMs: 5 } })).rejects.toThrow(/intervalMs/);
  });
});
