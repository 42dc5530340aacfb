/**
 * Partial fills under a slices fill policy: the wire sequence of ORDER_TRADE_UPDATE (l vs z, L,
 * ap, x/X) and ccxt.pro's watchOrders aggregating it into one order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT1, btcTop, startTestVenue, TestSocket, type TestVenue } from '../testing.ts';
import { ccxtForVenue } from './ccxt-client.ts';

let t: TestVenue;
let mid = 65000;
let ticker: NodeJS.Timeout;
beforeEach(async () => {
  t = await startTestVenue({ fillPolicy: { kind: 'slices', slices: 3, intervalMs: 60 } });
  mid = 65000;
  t.venue.applyTick('BTCUSDT', btcTop(mid));
  // The price walks up 1 USDT every 20 ms, so every slice fills at a different price.
  ticker = setInterval(() => t.venue.applyTick('BTCUSDT', btcTop(++mid)), 20);
});
afterEach(async () => {
  clearInterval(ticker);
  await t.venue.stop();
});

describe('partial fills (fill policy: 3 slices)', () => {
  it('streams NEW, TRADE x3 with l per slice, z cumulative, L per slice, ap the running average', async () => {
    const { body } = await t.call('POST', '/fapi/v1/listenKey', { apiKey: BOT1.apiKey });
    const s = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/${body.listenKey}`);
    await s.opened();
    const placed = await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.030', newOrderRespType: 'RESULT' });
    expect(placed.body).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '0.010' });
    await s.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.X === 'FILLED', 3000);
    const ou = s.messages.filter((m) => m.e === 'ORDER_TRADE_UPDATE').map((m) => m.o);
    expect(ou.map((o) => [o.x, o.X, o.l, o.z])).toEqual([
      ['NEW', 'NEW', '0', '0'],
      ['TRADE', 'PARTIALLY_FILLED', '0.010', '0.010'],
      ['TRADE', 'PARTIALLY_FILLED', '0.010', '0.020'],
      ['TRADE', 'FILLED', '0.010', '0.030'],
    ]);
    const prices = ou.slice(1).map((o) => Number(o.L));
    expect(new Set(prices).size).toBe(3);
    for (let i = 1; i <= 3; i++) {
      const avg = prices.slice(0, i).reduce((a, b) => a + b, 0) / i;
      expect(Number(ou[i].ap)).toBeCloseTo(avg, 5);
    }
    // One order.fill history event per slice, and an ACCOUNT_UPDATE after each.
    expect(t.recorder.of('order.fill').map((e) => [e.data.lastQty, e.data.cumQty, e.data.status])).toEqual([
      ['0.010', '0.010', 'PARTIALLY_FILLED'],
      ['0.010', '0.020', 'PARTIALLY_FILLED'],
      ['0.010', '0.030', 'FILLED'],
    ]);
    expect(s.messages.filter((m) => m.e === 'ACCOUNT_UPDATE')).toHaveLength(3);
    s.ws.close();
  });

  it('ccxt.pro watchOrders aggregates the slices into one closed order with the right filled and average', async () => {
    const c = await ccxtForVenue(t.venue.portFor('bot-1'), BOT1.apiKey, BOT1.apiSecret);
    try {
      await c.exchange.loadMarkets();
      const watching = c.exchange.watchOrders('BTC/USDT:USDT');
      await expect.poll(() => t.recorder.of('ws.open').filter((e) => e.data.kind === 'user').length, { timeout: 3000 }).toBe(1);
      const placed = await c.exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.03);
      expect(placed).toMatchObject({ status: 'open', filled: 0.01, remaining: 0.02 });
      const states: Array<[string | undefined, number | undefined]> = [];
      await watching;
      // Every ORDER_TRADE_UPDATE lands in ccxt's order cache (what watchOrders returns). Polling the
      // cache, rather than chaining watchOrders calls, cannot miss a slice that arrives between calls.
      const cached = () => (c.exchange.orders ?? []).find((x: { id?: string }) => x.id === placed.id);
      await expect
        .poll(
          () => {
            const o = cached();
            if (o) states.push([o.status, o.filled]);
            return o?.status;
          },
          { timeout: 5000, interval: 10 },
        )
        .toBe('closed');
      const final = cached();
      const fills = t.recorder.of('order.fill').map((e) => Number(e.data.lastPrice));
      expect(final).toMatchObject({ status: 'closed', filled: 0.03, remaining: 0, amount: 0.03 });
      // The venue reports `ap` with 5 decimals, as Binance's avgPrice: a third of three prices may not terminate.
      expect(final?.average).toBeCloseTo(fills.reduce((a, b) => a + b, 0) / 3, 4);
      expect(final?.cost).toBeCloseTo(
        fills.reduce((a, b) => a + b * 0.01, 0),
        6,
      );
      // ccxt went through the partial states before closing (it never saw filled go down).
      const filled = states.map(([, f]) => f ?? 0);
      expect(filled).toEqual([...filled].sort((a, b) => a - b));
      expect(states.at(-1)).toEqual(['closed', 0.03]);
      // The REST view agrees with the stream's aggregate.
      const trades = await c.exchange.fetchMyTrades('BTC/USDT:USDT');
      expect(trades.map((tr) => tr.amount)).toEqual([0.01, 0.01, 0.01]);
    } finally {
      await c.exchange.close();
    }
  });

  it('setFillPolicy switches policy for later orders (immediate again)', async () => {
    t.venue.setFillPolicy({ kind: 'immediate' });
    const r = await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.030', newOrderRespType: 'RESULT' });
    expect(r.body).toMatchObject({ status: 'FILLED', executedQty: '0.030' });
    expect(() => t.venue.setFillPolicy({ kind: 'slices', slices: -1, intervalMs: 1 })).toThrow(/slices/);
  });
});
