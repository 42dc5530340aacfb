import { describe, expect, it } from 'vitest';
import { pastMinutes } from '../../market/history.ts';
import { MarketTape } from './tape.ts';

const SPEC = { symbol: 'BTCUSDT', startPrice: 60_000, tickSize: 0.1, stepSize: 0.001, volPerTick: 0.0003, tickMs: 250 };
const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 23, 3, 0, 42);

describe('MarketTape.backfill', () => {
  it('answers klines from before the first tick and rolls on flat to it', () => {
    const tape = new MarketTape();
    const past = pastMinutes(3, SPEC, 90, NOW - 2 * MIN); // history ends 2 minutes before the first tick
    tape.backfill('BTCUSDT', past);
    tape.onTick('BTCUSDT', 60_010, NOW);
    const first = past[0]?.openTime ?? 0;
    const page = tape.klines('BTCUSDT', '1m', first, first + 30 * MIN - 1, 30, true);
    expect(page.map((c) => c.openTime)).toEqual(past.slice(0, 30).map((c) => c.openTime));
    expect(page[0]?.close).toBe(past[0]?.close);
    const all = tape.minutes('BTCUSDT');
    expect(all).toHaveLength(93);
    // The two minutes without history are flat at the last close; the tick's minute opens at the tick.
    expect(all.at(-3)).toMatchObject({ open: 60_000, close: 60_000, volume: 0 });
    expect(all.at(-1)).toMatchObject({ openTime: Math.floor(NOW / MIN) * MIN, open: 60_010, close: 60_010 });
    const fiveMin = tape.klines('BTCUSDT', '5m', 0, Number.MAX_SAFE_INTEGER, 3, false);
    expect(fiveMin).toHaveLength(3);
  });

  it('refuses history after the first tick and minutes that are not consecutive', () => {
    const ticked = new MarketTape();
    ticked.onTick('BTCUSDT', 60_000, NOW);
    expect(() => ticked.backfill('BTCUSDT', pastMinutes(1, SPEC, 3, NOW))).toThrow(/before the first tick/);
    const past = pastMinutes(1, SPEC, 3, NOW);
    expect(() =>
      new MarketTape().backfill(
        'BTCUSDT',
        [past[0], past[2]].filter((m) => m !== undefined),
      ),
    ).toThrow(/consecutive/);
  });
});
