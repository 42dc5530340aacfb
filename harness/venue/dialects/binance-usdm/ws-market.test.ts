import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { btcTop, startTestVenue, TestSocket, type TestVenue } from '../../testing.ts';

let t: TestVenue;
afterEach(() => t.venue.stop());

async function socket(path: string, instance = 'bot-1'): Promise<TestSocket> {
  const s = new TestSocket(`ws://127.0.0.1:${t.venue.portFor(instance)}${path}`);
  await s.opened();
  return s;
}

describe('market streams', () => {
  it('pushes bookTicker on /ws/<symbol>@bookTicker after every tick and records ws.open', async () => {
    t = await startTestVenue();
    const s = await socket('/ws/btcusdt@bookTicker');
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const m = await s.next((x) => x.e === 'bookTicker');
    expect(m).toMatchObject({ e: 'bookTicker', u: 1, s: 'BTCUSDT', b: '64999.9', B: '1.500', a: '65000.1', A: '2.250' });
    expect(typeof m.E).toBe('number');
    expect(typeof m.T).toBe('number');
    t.venue.applyTick('BTCUSDT', btcTop(65001));
    expect(await s.next((x) => x.u === 2)).toMatchObject({ b: '65000.9' });
    expect(t.recorder.of('ws.open')[0]).toMatchObject({
      src: 'venue',
      instance: 'bot-1',
      data: { connId: 1, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] },
    });
  });

  it('wraps combined streams in {"stream","data"} and matches names case-insensitively', async () => {
    t = await startTestVenue();
    const s = await socket('/stream?streams=BTCUSDT@bookTicker/btcusdt@aggTrade');
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    const m = await s.next((x) => x.stream !== undefined);
    expect(m.stream).toBe('BTCUSDT@bookTicker');
    expect(m.data).toMatchObject({ e: 'bookTicker', s: 'BTCUSDT' });
    // The aggTrade stream is accepted but has no data in this venue.
    await new Promise((r) => setTimeout(r, 50));
    expect(s.messages).toHaveLength(1);
  });

  it('speaks SUBSCRIBE / LIST_SUBSCRIPTIONS / UNSUBSCRIBE and records ws.subscribe', async () => {
    t = await startTestVenue();
    const s = await socket('/ws');
    s.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker'], id: 1 }));
    expect(await s.next((x) => x.id === 1)).toEqual({ result: null, id: 1 });
    s.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
    expect(await s.next((x) => x.id === 2)).toEqual({ result: ['btcusdt@bookTicker'], id: 2 });
    t.venue.applyTick('BTCUSDT', btcTop(65000));
    await s.next((x) => x.e === 'bookTicker');
    s.ws.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['BTCUSDT@BOOKTICKER'], id: 3 }));
    await s.next((x) => x.id === 3);
    t.venue.applyTick('BTCUSDT', btcTop(65001));
    await new Promise((r) => setTimeout(r, 50));
    expect(s.messages.filter((x) => x.e === 'bookTicker')).toHaveLength(1);
    expect(t.recorder.of('ws.open')[0]?.data.streams).toEqual([]);
    expect(t.recorder.of('ws.subscribe')[0]).toMatchObject({ instance: 'bot-1', data: { connId: 1, streams: ['btcusdt@bookticker'] } });
    s.ws.send('not json');
    expect(await s.next((x) => x.code === 3)).toMatchObject({ code: 3 });
  });

  it('records ws.close with kind and code when the client leaves', async () => {
    t = await startTestVenue();
    const s = await socket('/ws/btcusdt@bookTicker', 'bot-2');
    s.ws.close(1000);
    await s.closed();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.recorder.of('ws.close')[0]).toMatchObject({ instance: 'bot-2', data: { connId: 1, kind: 'market', code: 1000 } });
  });

  it('refuses an unknown path with HTTP 404', async () => {
    t = await startTestVenue();
    const ws = new WebSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/nope`);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.on('open', () => resolve(undefined));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
    expect(t.recorder.of('ws.open')).toHaveLength(0);
  });

  it('sends server ping frames at the configured interval without recording them', async () => {
    t = await startTestVenue({ wsPingIntervalMs: 30 });
    const s = await socket('/ws/btcusdt@bookTicker');
    await new Promise<void>((resolve) => s.ws.once('ping', () => resolve()));
    expect(t.recorder.events.map((e) => e.type)).toEqual(['ws.open']);
  });
});
