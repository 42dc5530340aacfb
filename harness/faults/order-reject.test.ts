import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, type TestVenue } from '../venue/testing.ts';
import { faultKind } from './registry.ts';
import { testContext } from './testing.ts';

/** order-reject, observed by a real signed HTTP client of the venue. */
let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(60_000));
});
afterEach(async () => {
  await t.venue.stop();
});

async function inject(params: Record<string, unknown>, instance = 'bot-1') {
  const k = faultKind('order-reject');
  const active = await k.inject(testContext({ recorder: t.recorder, venue: t.venue }), { instance, occurrence: 'f1' }, k.parse(params));
  return active;
}

const order = (side: 'BUY' | 'SELL', reduceOnly: boolean) =>
  t.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.010', ...(reduceOnly ? { reduceOnly: 'true' } : {}) });
const events = (type: string) => t.recorder.events.filter((e) => e.src === 'venue' && e.type === type);

describe('order-reject', () => {
  it('refuses reduce-only orders only (default -1112), records them as order.reject, lets the rest through, until heal', async () => {
    const active = await inject({ durationMs: 1000 });
    expect((await order('BUY', false)).status).toBe(200);
    const r = await order('SELL', true);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: -1112, msg: 'No orders on book for symbol.' });
    expect(events('order.new')).toHaveLength(1);
    const rej = events('order.reject');
    expect(rej).toHaveLength(1);
    expect(rej[0]?.instance).toBe('bot-1');
    expect(rej[0]?.data).toMatchObject({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', qty: '0.010', reduceOnly: true, code: -1112, fault: 'f1' });
    await active.heal();
    expect((await order('SELL', true)).status).toBe(200);
    expect(events('order.new')).toHaveLength(2);
  });

  it('orders=opening refuses the others; count bounds the refusals; params are validated', async () => {
    await inject({ durationMs: 1000, orders: 'opening', count: 1, code: -2010, msg: 'rejected' });
    expect((await order('BUY', false)).status).toBe(400);
    expect((await order('BUY', false)).status).toBe(200);
    expect(events('order.reject').map((e) => e.data.code)).toEqual([-2010]);
    const k = faultKind('order-reject');
    expect(() => k.parse({ durationMs: 1000, orders: 'exits' })).toThrow(/orders must be one of/);
    expect(() => k.parse({ durationMs: 1000, status: 503 })).toThrow(/4xx/);
    expect(() => k.parse({ durationMs: 1000, count: 0 })).toThrow(/count/);
    expect(() => k.parse({ durationMs: 1000, extra: 1 })).toThrow();
  });

  it('acts only on the fault’s instance', async () => {
    await inject({ durationMs: 1000, orders: 'all' }, 'bot-2');
    expect((await order('BUY', false)).status).toBe(200);
    expect(events('order.reject')).toHaveLength(0);
  });
});
