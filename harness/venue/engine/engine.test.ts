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
