import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT1, BOT2, btcTop, startTestVenue, TestSocket, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
});
afterEach(() => t.venue.stop());

async function userSocket(account = BOT1): Promise<{ s: TestSocket; listenKey: string }> {
  const { body } = await t.call('POST', '/fapi/v1/listenKey', { apiKey: account.apiKey, instance: account.instance });
  const s = new TestSocket(`ws://127.0.0.1:${t.venue.portFor(account.instance)}/ws/${body.listenKey}`);
  await s.opened();
  return { s, listenKey: body.listenKey };
}

const ORDER_FIELDS = [
  's',
  'c',
  'S',
  'o',
  'f',
  'q',
  'p',
  'ap',
  'sp',
  'x',
  'X',
  'i',
  'l',
  'z',
  'L',
  'n',
  'N',
  'T',
  't',
  'b',
  'a',
  'm',
  'R',
  'wt',
  'ot',
  'ps',
  'cp',
  'rp',
  'pP',
  'si',
  'ss',
  'V',
  'pm',
  'gtd',
];

describe('user data stream', () => {
  it('pushes ORDER_TRADE_UPDATE NEW then TRADE, then ACCOUNT_UPDATE, for a market order', async () => {
    const { s, listenKey } = await userSocket();
    expect(t.recorder.of('ws.open')[0]).toMatchObject({
      instance: 'bot-1',
      data: { kind: 'user', path: `/ws/${listenKey}`, streams: [], listenKeyValid: true },
    });
    const res = await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010', newClientOrderId: 'u-1' });

    const fresh = await s.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.x === 'NEW');
    expect(Object.keys(fresh.o).sort()).toEqual([...ORDER_FIELDS].sort());
    expect(fresh.o).toMatchObject({ s: 'BTCUSDT', c: 'u-1', S: 'BUY', o: 'MARKET', X: 'NEW', i: res.body.orderId, q: '0.010', z: '0', ps: 'BOTH', R: false });
    const trade = await s.next((m) => m.e === 'ORDER_TRADE_UPDATE' && m.o.x === 'TRADE');
    expect(trade.o).toMatchObject({ X: 'FILLED', l: '0.010', z: '0.010', L: '65000.1', ap: '65000.10000', m: false, n: '0.32500050', N: 'USDT' });
    expect(trade.o.t).toBeGreaterThan(0);
    const acct = await s.next((m) => m.e === 'ACCOUNT_UPDATE');
    expect(acct.a.m).toBe('ORDER');
    expect(acct.a.B).toEqual([{ a: 'USDT', wb: '9999.67499950', cw: '9999.67499950', bc: '0' }]);
    expect(acct.a.P[0]).toMatchObject({ s: 'BTCUSDT', pa: '0.010', ep: '65000.10000000', ps: 'BOTH', mt: 'cross' });
    const order = s.messages.map((m) => (m.e === 'ORDER_TRADE_UPDATE' ? m.o.x : m.e));
    expect(order).toEqual(['NEW', 'TRADE', 'ACCOUNT_UPDATE']);
  });

  it('pushes MARGIN_CALL for the open positions of the account only, in Binance’s shape; none without a position', async () => {
    const one = await userSocket(BOT1);
    const two = await userSocket(BOT2);
    expect(t.venue.marginCall('bot-1')).toBe(false); // flat: nothing to call
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010', newClientOrderId: 'm-1' });
    await one.s.next((m) => m.e === 'ACCOUNT_UPDATE');
    expect(t.venue.marginCall('bot-1')).toBe(true);
    const call = await one.s.next((m) => m.e === 'MARGIN_CALL');
    expect(Object.keys(call).sort()).toEqual(['E', 'cw', 'e', 'p']);
    expect(call.cw).toBe('9999.67499950');
    expect(call.p).toEqual([
      { s: 'BTCUSDT', ps: 'BOTH', pa: '0.010', mt: 'CROSSED', iw: '0.00000000', mp: '65000.00000000', up: '-0.00100000', mm: '2.60000000' },
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(two.s.messages.some((m) => m.e === 'MARGIN_CALL')).toBe(false);
  });

  it('pushes CANCELED for a user cancel and only to the owning account', async () => {
    const one = await userSocket(BOT1);
    const two = await userSocket(BOT2);
    const placed = await t.signed('POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.002',
      price: '65100.0',
    });
    await t.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    const canceled = await one.s.next((m) => m.o?.x === 'CANCELED');
    expect(canceled.o).toMatchObject({ X: 'CANCELED', p: '65100.0', f: 'GTC', o: 'LIMIT' });
    await new Promise((r) => setTimeout(r, 30));
    expect(two.s.messages).toEqual([]);
  });

  it('accepts an unknown listen key silently (flagged in ws.open) and never sends it events', async () => {
    const s = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/NotAListenKey123`);
    await s.opened();
    await t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' });
    await new Promise((r) => setTimeout(r, 30));
    expect(s.messages).toEqual([]);
    expect(t.recorder.of('ws.open')[0]?.data).toMatchObject({ kind: 'user', listenKeyValid: false });
  });

  it('closes the user stream when its listen key is deleted and records ws.close kind user', async () => {
    const { s } = await userSocket();
    const closed = s.closed();
    await t.call('DELETE', '/fapi/v1/listenKey', { apiKey: BOT1.apiKey });
    expect(await closed).toBe(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.recorder.of('ws.close')[0]).toMatchObject({ instance: 'bot-1', data: { kind: 'user', code: 1000, reason: 'listenKey deleted' } });
  });
});
