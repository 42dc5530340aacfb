import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corruptPayload, corruptPrice } from '../venue/dialects/binance-usdm/ws-corrupt.ts';
import { btcTop, startTestVenue, TestSocket, type TestVenue } from '../venue/testing.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';

/** market-data-corrupt, observed by real WebSocket clients of the venue (one per instance). */
let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(60_000));
});
afterEach(async () => {
  await t.venue.stop();
});

async function inject(params: Record<string, unknown>, instance = 'bot-1') {
  const k = faultKind('market-data-corrupt');
  return k.inject(testContext({ recorder: memoryRecorder(), venue: t.venue }), { instance, occurrence: 'f1' }, k.parse(params));
}

async function socket(instance: string, path: string): Promise<TestSocket> {
  const ws = new TestSocket(`ws://127.0.0.1:${t.venue.portFor(instance)}${path}`);
  await ws.opened();
  return ws;
}

const corruptEvents = () => t.recorder.events.filter((e) => e.type === 'market.corrupt');

describe('market-data-corrupt', () => {
  it('zero bid: the faulted instance gets "0.0" bids (recorded), the other the real book, until heal', async () => {
    const one = await socket('bot-1', '/ws/btcusdt@bookTicker');
    const two = await socket('bot-2', '/ws/btcusdt@bookTicker');
    const active = await inject({ mode: 'zero', side: 'bid', durationMs: 1000 });
    t.venue.applyTick('BTCUSDT', btcTop(60_001, 1));
    const bad = await one.next((m) => m.e === 'bookTicker' && m.u !== undefined && m.b === '0.0');
    expect(bad.a).toBe('60001.1');
    const good = await two.next((m) => m.e === 'bookTicker' && m.a === '60001.1');
    expect(good.b).toBe('60000.9');
    const rec = corruptEvents();
    expect(rec).toHaveLength(1);
    expect(rec[0]?.instance).toBe('bot-1');
    expect(rec[0]?.data).toMatchObject({ stream: 'btcusdt@bookticker', symbol: 'BTCUSDT', mode: 'zero', values: { b: '0.0' } });
    await active.heal();
    t.venue.applyTick('BTCUSDT', btcTop(60_002, 2));
    const healed = await one.next((m) => m.e === 'bookTicker' && m.a === '60002.1');
    expect(healed.b).toBe('60001.9');
    expect(corruptEvents()).toHaveLength(1);
    one.ws.terminate();
    two.ws.terminate();
  });

  it('nan on both sides through a combined stream, markPrice included', async () => {
    const ws = await socket('bot-1', '/stream?streams=btcusdt@bookTicker/btcusdt@markPrice@1s');
    await inject({ mode: 'nan', durationMs: 1000 });
    t.venue.applyTick('BTCUSDT', btcTop(60_003, 3));
    const book = await ws.next((m) => m.stream === 'btcusdt@bookTicker');
    expect([book.data.b, book.data.a]).toEqual(['NaN', 'NaN']);
    const mark = await ws.next((m) => m.stream === 'btcusdt@markPrice@1s', 3000);
    expect([mark.data.p, mark.data.i]).toEqual(['NaN', 'NaN']);
    expect(corruptEvents().map((e) => e.data.stream)).toContain('btcusdt@markprice@1s');
    ws.ws.terminate();
  });

  it('prices: zero keeps the decimals, negative and scale are absurd but well-formed', () => {
    expect(corruptPrice('60000.10', { mode: 'zero', side: 'both' })).toBe('0.00');
    expect(corruptPrice('60000.10', { mode: 'negative', side: 'both' })).toBe('-60000.10');
    expect(corruptPrice('60000.10', { mode: 'scale', side: 'both', factor: 0.001 })).toBe('60.00');
    expect(corruptPayload({ e: 'aggTrade', p: '1.0', s: 'BTCUSDT' }, { mode: 'zero', side: 'both' })).toBeUndefined();
    const arr = corruptPayload([{ e: 'markPriceUpdate', s: 'BTCUSDT', p: '1.5', i: '1.5', P: '1.5' }], { mode: 'zero', side: 'bid' });
    expect(arr?.payload).toEqual([{ e: 'markPriceUpdate', s: 'BTCUSDT', p: '0.0', i: '0.0', P: '0.0' }]);
  });

  it('parse: mode, side and factor are validated', () => {
    const k = faultKind('market-data-corrupt');
    expect(k.parse({ mode: 'zero', durationMs: 10 })).toEqual({ mode: 'zero', side: 'both', durationMs: 10 });
    expect(() => k.parse({ mode: 'garbage', durationMs: 10 })).toThrow(/mode must be/);
    expect(() => k.parse({ mode: 'zero', side: 'mid', durationMs: 10 })).toThrow(/side must be/);
    expect(() => k.parse({ mode: 'scale', durationMs: 10 })).toThrow(/factor/);
    expect(() => k.parse({ mode: 'zero', factor: 2, durationMs: 10 })).toThrow(/only for mode scale/);
    expect(() => k.parse({ mode: 'zero' })).toThrow(/durationMs/);
  });
});
