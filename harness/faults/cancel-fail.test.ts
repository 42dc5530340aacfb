import { describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { accountFixture, memoryRecorder, testContext } from './testing.ts';

const account = accountFixture();
const control = account.control;

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
    const ctx = testContext({ recorder, venue: account.venue().venue, target: () => control('rb-bot-1-') });
    await account.venue().signed('POST', '/fapi/v1/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '45000',
      quantity: '0.010',
      newClientOrderId: 'cf-1',
    });
    const f = await k.inject(ctx, { instance: 'bot-1', occurrence: 'f4' }, k.parse({ durationMs: 1000 }));
    const refused = await account.venue().signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'cf-1' });
    expect(refused.status).toBe(503);
    expect(account.venue().recorder.of('cancel.refuse').at(-1)?.data).toMatchObject({ clientOrderId: 'cf-1', fault: 'f4', via: 'single' });
    await f.heal();
    expect((await account.venue().signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'cf-1' })).body.status).toBe('CANCELED');
  });
});
