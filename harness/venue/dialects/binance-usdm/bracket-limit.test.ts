import { afterEach, describe, expect, it } from 'vitest';
import { venueSymbols } from '../../extra-symbols.ts';
import { btcTop, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
afterEach(() => t.venue.stop());

const order = (symbol: string, side: 'BUY' | 'SELL', quantity: string, extra: Record<string, string> = {}) =>
  t.signed('POST', '/fapi/v1/order', { symbol, side, type: 'MARKET', quantity, ...extra });

describe('-2027: no position beyond the bracket cap at the account leverage', () => {
  it('refuses an order that takes the position, with working orders on its side, past the cap; reducing orders always pass', async () => {
    t = await startTestVenue();
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    await t.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '125' }); // cap 50,000
    expect((await order('BTCUSDT', 'BUY', '0.7')).status).toBe(200); // 45,500
    const over = await order('BTCUSDT', 'BUY', '0.1'); // 52,000
    expect(over.body).toEqual({ code: -2027, msg: 'Exceeded the maximum allowable position at current leverage.' });
    expect(t.recorder.of('order.reject').map((e) => e.data.code)).toEqual([-2027]);
    expect((await order('BTCUSDT', 'SELL', '0.3')).status).toBe(200); // 0.4 left, 26,000
    // A working BUY of 0.1 counts: 0.4 + 0.1 + 0.3 = 0.8 is over the cap even though 0.7 would not be.
    const limit = { type: 'LIMIT', timeInForce: 'GTC', price: '60000' };
    expect((await order('BTCUSDT', 'BUY', '0.1', limit)).status).toBe(200);
    expect((await order('BTCUSDT', 'BUY', '0.3')).body.code).toBe(-2027);
    expect((await order('BTCUSDT', 'BUY', '0.2')).status).toBe(200); // 0.4 + 0.1 working + 0.2 = 0.7, 45,500
    // A SELL that flips the position beyond the cap on the other side is refused too.
    expect((await order('BTCUSDT', 'SELL', '1.5')).body.code).toBe(-2027);
    expect((await order('BTCUSDT', 'SELL', '0.6', { reduceOnly: 'true' })).status).toBe(200);
  });

  it('uses the symbol’s own brackets: TIERUSDT allows 500 USDT at the default 20x and 2,000 at 10x', async () => {
    t = await startTestVenue({ symbols: venueSymbols('TIERUSDT') });
    t.venue.applyTick('TIERUSDT', { i: 0, bid: 1.9999, ask: 2.0001, bidQty: 50_000, askQty: 50_000, mid: 2 });
    const brackets = await t.signed('GET', '/fapi/v1/leverageBracket', { symbol: 'TIERUSDT' });
    expect(brackets.body.brackets.slice(0, 2)).toEqual([
      { bracket: 1, initialLeverage: 20, notionalCap: 500, notionalFloor: 0, maintMarginRatio: 0.02, cum: 0 },
      { bracket: 2, initialLeverage: 10, notionalCap: 2000, notionalFloor: 500, maintMarginRatio: 0.025, cum: 2.5 },
    ]);
    const risk = await t.signed('GET', '/fapi/v2/positionRisk', { symbol: 'TIERUSDT' });
    expect(risk.body[0]).toMatchObject({ leverage: '20', maxNotionalValue: '500' });
    expect((await order('TIERUSDT', 'BUY', '500')).body.code).toBe(-2027); // 1,000 USDT
    expect((await order('TIERUSDT', 'BUY', '240')).status).toBe(200); // 480 USDT
    expect((await t.signed('POST', '/fapi/v1/leverage', { symbol: 'TIERUSDT', leverage: '21' })).body.code).toBe(-4028);
    expect((await t.signed('POST', '/fapi/v1/leverage', { symbol: 'TIERUSDT', leverage: '10' })).body).toEqual({
      leverage: 10,
      maxNotionalValue: '2000',
      symbol: 'TIERUSDT',
    });
    expect((await order('TIERUSDT', 'BUY', '500')).status).toBe(200); // 740 units, 1,480 USDT
  });
});
