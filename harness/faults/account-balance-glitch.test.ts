import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { btcTop, startTestVenue, type TestVenue } from '../venue/testing.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';

/** account-balance-glitch, observed by a real signed HTTP client of the venue. */
let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(60_000));
});
afterEach(async () => {
  await t.venue.stop();
});

const k = faultKind('account-balance-glitch');
const balance = async (path = '/fapi/v2/balance') => {
  const r = await t.signed('GET', path, {});
  expect(r.status).toBe(200);
  return Number((r.body as { asset: string; balance: string }[]).find((x) => x.asset === 'USDT')?.balance);
};

describe('account-balance-glitch', () => {
  it('parses its params and rejects bad ones', () => {
    expect(k.parse({ balanceUsdt: 3000, count: 1, durationMs: 5000 })).toEqual({ balanceUsdt: 3000, count: 1, durationMs: 5000 });
    expect(k.parse({ balanceUsdt: 0, durationMs: 1 })).toEqual({ balanceUsdt: 0, durationMs: 1 });
    expect(() => k.parse({ balanceUsdt: -1, durationMs: 1 })).toThrow(/balanceUsdt/);
    expect(() => k.parse({ balanceUsdt: 1, count: 0, durationMs: 1 })).toThrow(/count/);
    expect(() => k.parse({ balanceUsdt: 1 })).toThrow(/durationMs/);
    expect(() => k.parse({ balanceUsdt: 1, durationMs: 1, cnt: 1 })).toThrow(/unknown parameter "cnt"/);
  });

  it('glitches the next count answers only, then the real balance is back; each glitch is recorded', async () => {
    const real = await balance();
    expect(real).toBeGreaterThan(3000);
    const recorder = memoryRecorder();
    const active = await k.inject(
      testContext({ recorder, venue: t.venue }),
      { instance: 'bot-1', occurrence: 'f4' },
      k.parse({ balanceUsdt: 3000, count: 2, durationMs: 60_000 }),
    );
    expect(await balance()).toBe(3000);
    expect(await balance('/fapi/v3/balance')).toBe(3000);
    expect(await balance()).toBe(real);
    expect(recorder.events.map((e) => [e.type, e.data, e.instance])).toEqual([
      ['balance.glitched', { id: 'f4', n: 1, balanceUsdt: 3000 }, 'bot-1'],
      ['balance.glitched', { id: 'f4', n: 2, balanceUsdt: 3000 }, 'bot-1'],
    ]);
    await active.heal();
  });

  it('without count glitches every answer until heal, and only the fault’s instance', async () => {
    const real = await balance();
    const recorder = memoryRecorder();
    const active = await k.inject(
      testContext({ recorder, venue: t.venue }),
      { instance: 'bot-2', occurrence: 'f1' },
      k.parse({ balanceUsdt: 10, durationMs: 60_000 }),
    );
    expect(await balance()).toBe(real); // bot-1's account is not the fault's
    expect(recorder.events).toHaveLength(0);
    await active.heal();
    const mine = await k.inject(
      testContext({ recorder, venue: t.venue }),
      { instance: 'bot-1', occurrence: 'f2' },
      k.parse({ balanceUsdt: 10, durationMs: 60_000 }),
    );
    for (let i = 0; i < 3; i++) expect(await balance()).toBe(10);
    await mine.heal();
    expect(await balance()).toBe(real);
    expect(recorder.events).toHaveLength(3);
  });
});
