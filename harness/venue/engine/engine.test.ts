import { describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOLS } from '../default-symbols.ts';
import { btcTop, collectingRecorder } from '../testing.ts';
import type { Account } from './account.ts';
import { VenueEngine } from './engine.ts';
import type { NewOrder, OrderUpdate } from './order.ts';

function setup() {
  const recorder = collectingRecorder();
  const engine = new VenueEngine({
    recorder,
    symbols: DEFAULT_SYMBOLS,
    accounts: [{ instance: 'bot-1', apiKey: 'k1', apiSecret: 's1', balanceUsdt: 10_000 }],
    leverage: 20,
    now: () => 1_700_000_000_000,
  });
  const updates: string[] = [];
  engine.listen({
    orderUpdate: (_a: Account, u: OrderUpdate) => updates.push(`${u.execution}:${u.order.status}`),
    accountUpdate: () => updates.push('ACCOUNT'),
  });
  engine.applyTick('BTCUSDT', btcTop(65000));
  const account = engine.accountByInstance('bot-1') as Account;
  let n = 0;
  const order = (o: Partial<NewOrder>): NewOrder => ({
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    qty: 0.01,
    qtyText: String(o.qty ?? 0.01),
    reduceOnly: false,
    clientOrderId: `c${++n}`,
    ...o,
  });
  return { engine, recorder, account, updates, order };
}

describe('VenueEngine', () => {
  it('cuts a reduce-only order to the position and expires the rest', () => {
    const { engine, account, order, recorder, updates } = setup();
    engine.place(account, order({ qty: 0.003 }));
    updates.length = 0;
    const r = engine.place(account, order({ side: 'SELL', qty: 0.005, reduceOnly: true }));
    expect(r.ok && r.order.status).toBe('EXPIRED');
    expect(r.ok && r.order.executedQty).toBe(0.003);
    expect(engine.position('bot-1', 'BTCUSDT')).toBe(0);
    expect(updates).toEqual(['NEW:NEW', 'TRADE:PARTIALLY_FILLED', 'ACCOUNT', 'EXPIRED:EXPIRED']);
    expect(recorder.of('order.fill')[1]?.data).toMatchObject({ lastQty: '0.003', status: 'PARTIALLY_FILLED', positionAfter: '0.000' });
    expect(recorder.of('order.cancel')[0]?.data.reason).toBe('expired');
  });

  it('expires a resting reduce-only order whose position is gone when the price reaches it', () => {
    const { engine, account, order } = setup();
    engine.place(account, order({ qty: 0.002 }));
    const tp = engine.place(account, order({ side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', qty: 0.002, price: 65500, reduceOnly: true }));
    engine.place(account, order({ side: 'SELL', qty: 0.002 }));
    engine.applyTick('BTCUSDT', btcTop(65600));
    expect(tp.ok && tp.order.status).toBe('EXPIRED');
    expect(engine.position('bot-1', 'BTCUSDT')).toBe(0);
  });

  it('rejects orders on a symbol without a price and refuses to tick unknown symbols', () => {
    const { engine, account, order } = setup();
    expect(engine.place(account, order({ symbol: 'ETHUSDT' }))).toEqual({ ok: false, reason: { kind: 'NO_PRICE' } });
    expect(() => engine.applyTick('DOGEUSDT', btcTop(1))).toThrow(/unknown symbol "DOGEUSDT"/);
  });

  it('rejects a duplicate client order id among open orders only', () => {
    const { engine, account, order } = setup();
    engine.place(account, order({ type: 'LIMIT', timeInForce: 'GTC', price: 64000, clientOrderId: 'same' }));
    expect(engine.place(account, order({ clientOrderId: 'same' }))).toEqual({ ok: false, reason: { kind: 'DUPLICATE_CLIENT_ORDER_ID' } });
    engine.cancel(account, 'BTCUSDT', { clientOrderId: 'same' });
    expect(engine.place(account, order({ clientOrderId: 'same' })).ok).toBe(true);
  });
});

describe('VenueEngine in hedge mode', () => {
  it('keeps LONG and SHORT legs apart: entries, realised PnL, history positionBefore / positionAfter', () => {
    const { engine, account, order, recorder, updates } = setup();
    engine.setDualSide(account, true);
    expect(engine.place(account, order({}))).toEqual({ ok: false, reason: { kind: 'POSITION_SIDE_MISMATCH' } });
    expect(engine.place(account, order({ positionSide: 'BOTH' }))).toEqual({ ok: false, reason: { kind: 'POSITION_SIDE_MISMATCH' } });
    engine.place(account, order({ positionSide: 'LONG', qty: 0.02 }));
    engine.applyTick('BTCUSDT', btcTop(66000));
    engine.place(account, order({ side: 'SELL', positionSide: 'SHORT', qty: 0.01 }));
    expect(engine.position('bot-1', 'BTCUSDT', 'LONG')).toBe(0.02);
    expect(engine.position('bot-1', 'BTCUSDT', 'SHORT')).toBe(-0.01);
    expect(engine.position('bot-1', 'BTCUSDT')).toBe(0.01);
    // SELL LONG closes the long at 65999.9 against its own entry 65000.1; the short is untouched.
    updates.length = 0;
    const close = engine.place(account, order({ side: 'SELL', positionSide: 'LONG', qty: 0.005 }));
    expect(close.ok && close.order).toMatchObject({ reduceOnly: true, positionSide: 'LONG', status: 'FILLED' });
    expect(updates).toEqual(['NEW:NEW', 'TRADE:FILLED', 'ACCOUNT']);
    expect(engine.trades.at(-1)?.realizedPnl).toBeCloseTo(0.005 * 999.8, 9);
    expect(account.hedged.get('BTCUSDT')?.SHORT).toMatchObject({ qty: -0.01, entryPrice: 65999.9, realized: 0 });
    expect(account.hedged.get('BTCUSDT')?.LONG).toMatchObject({ qty: 0.015, entryPrice: 65000.1 });
    expect(account.positions.get('BTCUSDT')?.qty ?? 0).toBe(0);
    expect(recorder.of('order.new').map((e) => [e.data.positionSide, e.data.positionBefore, e.data.reduceOnly])).toEqual([
      ['LONG', '0.000', false],
      ['SHORT', '0.000', false],
      ['LONG', '0.020', true],
    ]);
    expect(recorder.of('order.fill').map((e) => e.data.positionAfter)).toEqual(['0.020', '-0.010', '0.015']);
    // The margin view reports each leg, both holding initial margin.
    const v = engine.view(account);
    expect(v.positions.map((p) => [p.positionSide, p.qty])).toEqual([
      ['LONG', 0.015],
      ['SHORT', -0.01],
    ]);
    expect(v.positionInitialMargin).toBeCloseTo((0.015 * 66000 + 0.01 * 66000) / 20, 6);
  });

  it('refuses closing a flat leg, cuts a close to its leg at fill, and never lets a close open the other way', () => {
    const { engine, account, order } = setup();
    engine.setDualSide(account, true);
    expect(engine.place(account, order({ side: 'BUY', positionSide: 'SHORT' }))).toEqual({ ok: false, reason: { kind: 'REDUCE_ONLY' } });
    engine.place(account, order({ side: 'SELL', positionSide: 'SHORT', qty: 0.004 }));
    const cover = engine.place(account, order({ side: 'BUY', positionSide: 'SHORT', qty: 0.01 }));
    expect(cover.ok && [cover.order.status, cover.order.executedQty]).toEqual(['EXPIRED', 0.004]);
    expect(engine.position('bot-1', 'BTCUSDT', 'SHORT')).toBe(0);
    expect(engine.position('bot-1', 'BTCUSDT', 'LONG')).toBe(0);
  });
});
