import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT1, startTestVenue, type TestVenue } from '../../testing.ts';

let t: TestVenue;
beforeEach(async () => {
  t = await startTestVenue();
});
afterEach(() => t.venue.stop());

const key = BOT1.apiKey;

describe('listenKey endpoints', () => {
  it('creates a key with the API key alone, returns the same key while active, and keeps it alive', async () => {
    const created = await t.call('POST', '/fapi/v1/listenKey', { apiKey: key });
    expect(created.status).toBe(200);
    expect(created.body.listenKey).toMatch(/^[A-Za-z0-9]{64}$/);
    const again = await t.call('POST', '/fapi/v1/listenKey', { apiKey: key });
    expect(again.body.listenKey).toBe(created.body.listenKey);
    const kept = await t.call('PUT', '/fapi/v1/listenKey', { apiKey: key });
    expect(kept.body).toEqual({ listenKey: created.body.listenKey });
    expect(t.recorder.of('listenKey.create').map((e) => e.data.listenKey)).toEqual([created.body.listenKey, created.body.listenKey]);
    expect(t.recorder.of('listenKey.keepalive')[0]).toMatchObject({ instance: 'bot-1', data: { listenKey: created.body.listenKey } });
  });

  it('answers -1125 to a keepalive after DELETE and records the delete', async () => {
    const { body } = await t.call('POST', '/fapi/v1/listenKey', { apiKey: key });
    expect((await t.call('DELETE', '/fapi/v1/listenKey', { apiKey: key })).body).toEqual({});
    const kept = await t.call('PUT', '/fapi/v1/listenKey', { apiKey: key });
    expect(kept.status).toBe(400);
    expect(kept.body).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
    expect(t.recorder.of('listenKey.delete')[0]?.data).toEqual({ listenKey: body.listenKey });
  });

  it('needs a valid API key', async () => {
    const res = await t.call('POST', '/fapi/v1/listenKey');
    expect([res.status, res.body.code]).toEqual([401, -2014]);
  });
});
