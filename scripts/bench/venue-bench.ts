/**
 * Venue benchmark (`npm run bench`, or `node scripts/bench/venue-bench.ts`). Loopback only,
 * bounded to well under a minute. Measurements, not assertions. Two figures, each against a
 * baseline measured in the same run:
 *
 * 1. Order round trip: signed POST /fapi/v1/order (MARKET, alternating BUY/SELL so the account
 *    stays flat; ACK response) paced open-loop at 1,000 orders/s, vs the same signed request to a
 *    bare node:http server that answers `{}` without doing any work. p50 / p99 / max and ratios.
 * 2. WebSocket market messages/s: bookTicker pushed on every applyTick to 1 and to 50 subscribed
 *    clients, vs a bare `ws` server broadcasting a same-sized pre-serialised message. Clients run
 *    in a worker thread so that receiving does not steal the venue's event loop.
 *
 * The venue's recorder serialises every event (as the run's history writer does) and discards it.
 * The venue's rate limits are lifted for the bench (1,000 orders/s is over Binance's order limits).
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import type { HistoryEvent, Recorder, Source } from '../../harness/history/types.ts';
import { DEFAULT_SYMBOLS, type StartedVenue, startVenue } from '../../harness/venue/index.ts';

const RATE = 1000;
const ORDER_SECONDS = 4;
const WARMUP = 300;
const KEY = 'BenchKey1';
const SECRET = 'bench-secret';

function serialisingRecorder(): Recorder {
  const start = performance.now();
  let seq = 0;
  return {
    record<D extends Record<string, unknown>>(src: Source, type: string, data: D, instance?: string): HistoryEvent<D> {
      const e: HistoryEvent<D> = { seq: seq++, t: performance.now() - start, src, type, data, ...(instance ? { instance } : {}) };
      JSON.stringify(e);
      return e;
    },
    now: () => performance.now() - start,
  };
}

function top(mid: number, i: number) {
  return { i, bid: mid - 0.1, ask: mid + 0.1, bidQty: 1.5, askQty: 2.25, mid };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
  /** p99 of how late the generator sent a request against its schedule: its own stalls, not the server's. */
  lateP99: number;
  n: number;
  errors: number;
}

/**
 * The load generator runs in a worker thread with its own event loop, so the server under test
 * (venue or bare baseline, on the main thread) does not share a loop with its client: a request's
 * latency is the server's, not the wait for the client's own fetch machinery.
 * Open-loop pacing: request i leaves at t0 + i / RATE whatever the previous ones are doing.
 */
const ORDER_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { Agent, fetch } = require(workerData.undiciPath);
const { base, count, rate, warmup, key, secret } = workerData;
const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10000, connect: { noDelay: true } });
let errors = 0;
async function one(i) {
  const params = 'symbol=BTCUSDT&side=' + (i % 2 ? 'SELL' : 'BUY') + '&type=MARKET&quantity=0.002&timestamp=' + Date.now();
  const body = params + '&signature=' + createHmac('sha256', secret).update(params).digest('hex');
  const t0 = performance.now();
  const res = await fetch(base + '/fapi/v1/order', { method: 'POST', headers: { 'X-MBX-APIKEY': key, 'Content-Type': 'application/x-www-form-urlencoded' }, body, dispatcher: agent });
  await res.text();
  if (res.status !== 200) errors++;
  return performance.now() - t0;
}
(async () => {
  for (let i = 0; i < warmup; i++) await one(i);
  errors = 0;
  const lat = [];
  const pending = [];
  const late = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    late.push(performance.now() - (start + (i * 1000) / rate));
    pending.push(one(i).then((dt) => { lat.push(dt); }));
  }
  await Promise.all(pending);
  await agent.close();
  parentPort.postMessage({ lat, late, errors });
})();
`;

async function roundTrips(base: string, count: number): Promise<Latency> {
  const undiciPath = createRequire(import.meta.url).resolve('undici');
  const w = new Worker(ORDER_CLIENT, { eval: true, workerData: { base, count, rate: RATE, warmup: WARMUP, key: KEY, secret: SECRET, undiciPath } });
  const { lat, late, errors } = await new Promise<{ lat: number[]; late: number[]; errors: number }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  lat.sort((a, b) => a - b);
  late.sort((a, b) => a - b);
  return { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat.at(-1) ?? Number.NaN, n: lat.length, errors, lateP99: quantile(late, 0.99) };
}

async function bareHttp(): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Worker that opens `clients` sockets, counts messages, and reports when `expect` arrived in total. */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocket } = require(workerData.wsPath);
let total = 0; let opened = 0; let target = Infinity;
const sockets = [];
for (let i = 0; i < workerData.clients; i++) {
  const ws = new WebSocket(workerData.url);
  ws.on('open', () => { if (++opened === workerData.clients) parentPort.postMessage({ type: 'open' }); });
  ws.on('message', () => { if (++total >= target) { target = Infinity; parentPort.postMessage({ type: 'done', total }); } });
  sockets.push(ws);
}
parentPort.on('message', (m) => {
  if (m.type === 'expect') { target = m.total; if (total >= target) { target = Infinity; parentPort.postMessage({ type: 'done', total }); } }
  if (m.type === 'close') { for (const s of sockets) s.terminate(); parentPort.close(); }
});
`;

interface Clients {
  expectTotal(n: number): Promise<void>;
  close(): Promise<void>;
}

async function startClients(url: string, clients: number): Promise<Clients> {
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const w = new Worker(CLIENT_WORKER, { eval: true, workerData: { url, clients, wsPath } });
  await new Promise<void>((resolve, reject) => {
    w.once('error', reject);
    w.on('message', (m: { type: string }) => m.type === 'open' && resolve());
  });
  return {
    expectTotal: (n) =>
      new Promise<void>((resolve) => {
        const on = (m: { type: string }) => {
          if (m.type === 'done') {
            w.off('message', on);
            resolve();
          }
        };
        w.on('message', on);
        w.postMessage({ type: 'expect', total: n });
      }),
    close: async () => {
      w.postMessage({ type: 'close' });
      await new Promise((r) => w.once('exit', r));
    },
  };
}

/** Pushes `ticks` through `push` in chunks, yielding so sockets can flush; returns messages/s as received. */
async function pump(push: (i: number) => void, ticks: number, clients: Clients, perTick: number): Promise<number> {
  const done = clients.expectTotal(ticks * perTick);
  const t0 = performance.now();
  for (let i = 0; i < ticks; i += 500) {
    for (let j = i; j < Math.min(ticks, i + 500); j++) push(j);
    await new Promise((r) => setImmediate(r));
  }
  await done;
  return (ticks * perTick) / ((performance.now() - t0) / 1000);
}

async function wsVenue(venue: StartedVenue, port: number, clients: number, ticks: number): Promise<number> {
  const c = await startClients(`ws://127.0.0.1:${port}/ws/btcusdt@bookTicker`, clients);
  try {
    return await pump((i) => venue.applyTick('BTCUSDT', top(65000 + (i % 100) * 0.1, i)), ticks, c, clients);
  } finally {
    await c.close();
  }
}

async function wsBare(clients: number, ticks: number): Promise<number> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const msg = JSON.stringify({ e: 'bookTicker', u: 1, E: Date.now(), T: Date.now(), s: 'BTCUSDT', b: '65000.00', B: '1.500', a: '65000.20', A: '2.250' });
  const c = await startClients(`ws://127.0.0.1:${port}/`, clients);
  try {
    return await pump(
      () => {
        for (const s of wss.clients) s.send(msg);
      },
      ticks,
      c,
      clients,
    );
  } finally {
    await c.close();
    for (const s of wss.clients) s.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const fmt = (n: number, d = 3) => n.toFixed(d);
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

async function main(): Promise<void> {
  const started = performance.now();
  const venue = await startVenue({
    recorder: serialisingRecorder(),
    symbols: DEFAULT_SYMBOLS,
    accounts: [{ instance: 'bench', apiKey: KEY, apiSecret: SECRET, balanceUsdt: 1_000_000 }],
    // 1,000 orders/s is far over Binance's 300 per 10 s: the bench measures the order path, not the 429.
    rateLimits: { ordersPer10s: 1_000_000_000, ordersPerMinute: 1_000_000_000, weightPerMinute: 1_000_000_000 },
  });
  try {
    venue.applyTick('BTCUSDT', top(65000, 0));
    const port = venue.portFor('bench');
    const bare = await bareHttp();
    const count = RATE * ORDER_SECONDS;
    const bareLat = await roundTrips(bare.base, count);
    const venueLat = await roundTrips(`http://127.0.0.1:${port}`, count);
    await bare.close();

    process.stdout.write(`\nOrder round trip, ${count} signed POST /fapi/v1/order paced at ${RATE}/s (after ${WARMUP} warm-up), ms\n\n`);
    process.stdout.write(
      `${row(['server', 'p50', 'p99', 'max', 'non-200', 'generator send lateness p99'])}\n${row(['---', '---', '---', '---', '---', '---'])}\n`,
    );
    process.stdout.write(
      `${row(['bare node:http (baseline)', fmt(bareLat.p50), fmt(bareLat.p99), fmt(bareLat.max), String(bareLat.errors), fmt(bareLat.lateP99)])}\n`,
    );
    process.stdout.write(`${row(['venue', fmt(venueLat.p50), fmt(venueLat.p99), fmt(venueLat.max), String(venueLat.errors), fmt(venueLat.lateP99)])}\n`);
    process.stdout.write(
      `${row(['ratio venue / bare', `${fmt(venueLat.p50 / bareLat.p50, 2)}x`, `${fmt(venueLat.p99 / bareLat.p99, 2)}x`, `${fmt(venueLat.max / bareLat.max, 2)}x`, '', ''])}\n`,
    );
    process.stdout.write('\nA p99 below the generator send lateness p99 cannot be measured on this host: the load generator itself ran that late.\n');

    const runs: Array<[number, number]> = [
      [1, 200_000],
      [50, 8_000],
    ];
    process.stdout.write('\nWebSocket market messages per second (bookTicker, received by clients in a worker thread)\n\n');
    process.stdout.write(
      `${row(['clients', 'ticks', 'bare ws msg/s (baseline)', 'venue msg/s', 'ratio venue / bare'])}\n${row(['---', '---', '---', '---', '---'])}\n`,
    );
    for (const [clients, ticks] of runs) {
      const b = await wsBare(clients, ticks);
      const v = await wsVenue(venue, port, clients, ticks);
      process.stdout.write(
        `${row([String(clients), String(ticks), Math.round(b).toLocaleString('en-US'), Math.round(v).toLocaleString('en-US'), `${fmt(v / b, 2)}x`])}\n`,
      );
    }
  } finally {
    await venue.stop();
  }
  process.stdout.write(`\n(total ${fmt((performance.now() - started) / 1000, 1)} s, Node ${process.version}, loopback)\n`);
}

await main();
