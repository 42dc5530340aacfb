import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createProxyLink } from '../runtimes/proxy-link.ts';
import type { Link } from '../runtimes/types.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext, testToxiproxy } from './testing.ts';

/**
 * Each link fault observed from outside, through the real Toxiproxy, by a real client: what
 * arrives, when, and whether the socket is still open.
 */
let tp: Awaited<ReturnType<typeof testToxiproxy>>;
let wss: WebSocketServer;
let tick: NodeJS.Timeout;
let raw: Server;
let n = 0;

beforeAll(async () => {
  tp = await testToxiproxy();
  // A market-like stream: one small message every 20 ms to every client.
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  tick = setInterval(() => {
    n++;
    for (const c of wss.clients) c.send(JSON.stringify({ n, at: Date.now() }));
  }, 20);
  // A bulk sender: 200 kB in one write on connect.
  raw = createServer((sock) => sock.end(Buffer.alloc(200_000, 7)));
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', () => r()));
});

afterAll(async () => {
  clearInterval(tick);
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
  await new Promise((r) => raw.close(r));
  await tp.stop();
});

let proxies = 0;
async function link(upstreamPort: number): Promise<Link & { remove(): Promise<void> }> {
  proxies++;
  return createProxyLink(tp.client, {
    proxyName: `test-${proxies}`,
    instance: 'bot-1',
    name: 'market-ws',
    upstream: `127.0.0.1:${upstreamPort}`,
    bind: '127.0.0.1:0',
    advertise: (b) => b,
  });
}

const wsPort = () => (wss.address() as { port: number }).port;
const rawPort = () => (raw.address() as { port: number }).port;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function client(l: Link): Promise<{ ws: WebSocket; got: { n: number; t: number }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${l.listen}`);
    const got: { n: number; t: number }[] = [];
    ws.on('message', (m) => got.push({ n: (JSON.parse(String(m)) as { n: number }).n, t: performance.now() }));
    ws.once('open', () => resolve({ ws, got }));
    ws.once('error', reject);
  });
}

async function inject(kind: string, l: Link, params: Record<string, unknown>) {
  const k = faultKind(kind);
  return k.inject(testContext({ recorder: memoryRecorder(), link: () => l }), { instance: 'bot-1', link: 'market-ws', occurrence: 'f1' }, k.parse(params));
}

describe('link faults through the real Toxiproxy', () => {
  it('link-stall: no bytes arrive while the socket stays open; after heal a new connection gets data', async () => {
    const l = await link(wsPort());
    const { ws, got } = await client(l);
    await sleep(200);
    expect(got.length).toBeGreaterThan(3);
    const active = await inject('link-stall', l, { durationMs: 1000 });
    await sleep(50);
    const before = got.length;
    await sleep(600);
    expect(got.length).toBe(before);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await active.heal();
    await active.heal(); // idempotent
    // The stalled stream lost bytes mid-frame, like a dead path: only a reconnect recovers.
    const fresh = await client(l);
    await sleep(200);
    expect(fresh.got.length).toBeGreaterThan(3);
    fresh.ws.terminate();
    ws.terminate();
    await l.remove();
  });

  it('ws-disconnect: the open socket is closed and reconnects are refused until heal', async () => {
    const l = await link(wsPort());
    const { ws } = await client(l);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const active = await inject('ws-disconnect', l, { durationMs: 1000 });
    expect(await closed).toBe(1006);
    await expect(client(l)).rejects.toThrow(/ECONNREFUSED/);
    await active.heal();
    const again = await client(l);
    again.ws.terminate();
    await l.remove();
  });

  it('link-reset: connections are reset while active and work after heal', async () => {
    const l = await link(wsPort());
    const { ws } = await client(l);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const active = await inject('link-reset', l, { durationMs: 1000 });
    expect(await closed).toBe(1006);
    await expect(client(l)).rejects.toThrow();
    await active.heal();
    const again = await client(l);
    await sleep(100);
    expect(again.got.length).toBeGreaterThan(0);
    again.ws.terminate();
    await l.remove();
  });

  it('link-latency: messages arrive at least latencyMs late', async () => {
    const l = await link(wsPort());
    const { ws } = await client(l);
    const active = await inject('link-latency', l, { durationMs: 2000, latencyMs: 300 });
    const delays: number[] = [];
    ws.on('message', (m) => delays.push(Date.now() - (JSON.parse(String(m)) as { at: number }).at));
    await sleep(800);
    await active.heal();
    const late = delays.filter((d) => d >= 280);
    expect(late.length).toBeGreaterThan(3);
    ws.terminate();
    await l.remove();
  });

  it('link-slicer and link-bandwidth: a 200 kB write arrives in small pieces, and slowly under a rate cap', async () => {
    const receive = async (l: Link) => {
      const t = performance.now();
      let chunks = 0;
      let bytes = 0;
      const [host, port] = l.listen.split(':') as [string, string];
      await new Promise<void>((resolve, reject) => {
        const s = connect(Number(port), host);
        s.on('data', (d) => {
          chunks++;
          bytes += d.length;
        });
        s.on('end', () => resolve());
        s.on('error', reject);
      });
      return { chunks, bytes, ms: performance.now() - t };
    };
    const baseline = await receive(await link(rawPort()));
    const sliced = await link(rawPort());
    await inject('link-slicer', sliced, { durationMs: 5000, averageSizeBytes: 1000, sizeVariationBytes: 100, delayUs: 100 });
    const s = await receive(sliced);
    expect(s.bytes).toBe(200_000);
    expect(s.chunks).toBeGreaterThan(Math.max(50, baseline.chunks * 5));
    const capped = await link(rawPort());
    await inject('link-bandwidth', capped, { durationMs: 5000, rateKBps: 200 });
    const b = await receive(capped);
    expect(b.bytes).toBe(200_000);
    // 200 kB at 200 kB/s takes about a second; the uncapped transfer takes a few ms.
    expect(b.ms).toBeGreaterThan(700);
    expect(baseline.ms).toBeLessThan(b.ms / 2);
  });

  it('rejects bad parameters with a message naming the fault and the field', () => {
    expect(() => faultKind('link-latency').parse({ durationMs: 100 })).toThrow(/link-latency: latencyMs/);
    expect(() => faultKind('link-stall').parse({ durationMs: 100, durationMS: 5 })).toThrow(/unknown parameter "durationMS"/);
    expect(() => faultKind('link-slicer').parse({ durationMs: 100, averageSizeBytes: 10, sizeVariationBytes: 10 })).toThrow(/smaller/);
  });
});
