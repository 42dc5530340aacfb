import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT1, btcTop, startTestVenue, type TestVenue } from '../venue/testing.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

let tv: TestVenue;
const child = spawn('sleep', ['30'], { env: { VENUE_API_KEY: BOT1.apiKey, VENUE_API_SECRET: BOT1.apiSecret } });
beforeAll(async () => {
  tv = await startTestVenue();
  tv.venue.applyTick('BTCUSDT', btcTop(60_000));
});
afterAll(async () => {
  child.kill('SIGKILL');
  await tv.venue.stop();
});

function control(prefix?: string): TargetControl {
  return {
    instance: 'bot-1',
    pid: child.pid as number,
    running: true,
    stateDir: '/nonexistent',
    signal: () => {},
    restart: async () => {},
    ...(prefix ? { orderIdPrefix: prefix } : {}),
  };
}

describe('cancel-fail', () => {
  const k = faultKind('cancel-fail');

  it('parses its params with Binance’s internal-error defaults', () => {
    expect(k.parse({ durationMs: 1000 })).toEqual({
      durationMs: 1000,
      status: 503,
      code: -1001,
      msg: 'Internal error; unable to process your request. Please try again.',
    });
    expect(k.parse({ durationMs: 1000, count: 2, status: 400, code: -2011, msg: 'Unknown order sent.' })).toMatchObject({ count: 2, code: -2011 });
    expect(() => k.parse({ durationMs: 1000, count: 0 })).toThrow(/count/);
    expect(() => k.parse({ durationMs: 1000, code: 5 })).toThrow(/code must be a negative/);
    expect(() => k.parse({ durationMs: 1000, status: 200 })).toThrow(/status/);
    expect(() => k.parse({})).toThrow(/durationMs/);
  });

  it('refuses the instance’s cancels until healed', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, venue: tv.venue, target: () => control('rb-bot-1-') });
    await tv.signed('POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '45000',
      quantity: '0.010',
      newClientOrderId: 'cf-1',
    });
    const f = await k.inject(ctx, { instance: 'bot-1', occurrence: 'f4' }, k.parse({ durationMs: 1000 }));
    const refused = await tv.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'cf-1' });
    expect(refused.status).toBe(503);
    expect(tv.recorder.of('cancel.refuse').at(-1)?.data).toMatchObject({ clientOrderId: 'cf-1', fault: 'f4', via: 'single' });
    await f.heal();
    expect((await tv.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'cf-1' })).body.status).toBe('CANCELED');
  });
});
