/**
 * Test kit for the venue: a collecting Recorder, a started venue on loopback, a Binance-style
 * signed REST client (undici fetch) and a small WebSocket client that queues messages.
 * Only for tests; production code must not import it.
 */
import { fetch } from 'undici';
import { WebSocket } from 'ws';
import type { HistoryEvent, Recorder, Source } from '../history/types.ts';
import type { BookTop } from '../market/price-path.ts';
import { sign } from './dialects/binance-usdm/signing.ts';
import { DEFAULT_SYMBOLS, startVenue } from './index.ts';
import type { StartedVenue, VenueAccount, VenueOptions } from './types.ts';

export interface CollectingRecorder extends Recorder {
  readonly events: HistoryEvent[];
  of(type: string): HistoryEvent[];
}

export function collectingRecorder(): CollectingRecorder {
  const events: HistoryEvent[] = [];
  const start = performance.now();
  return {
    events,
    record<D extends Record<string, unknown>>(src: Source, type: string, data: D, instance?: string): HistoryEvent<D> {
      const e: HistoryEvent<D> = { seq: events.length, t: performance.now() - start, src, type, data, ...(instance ? { instance } : {}) };
      events.push(e as HistoryEvent);
      return e;
    },
    now: () => performance.now() - start,
    of: (type) => events.filter((e) => e.type === type),
  };
}

export const BOT1: VenueAccount = { instance: 'bot-1', apiKey: 'KeyOne1111', apiSecret: 'secret-one', balanceUsdt: 10_000 };
/** Small balance: reaches -2019 quickly. */
export const BOT2: VenueAccount = { instance: 'bot-2', apiKey: 'KeyTwo2222', apiSecret: 'secret-two', balanceUsdt: 50 };
export const ACCOUNTS: VenueAccount[] = [BOT1, BOT2];

/** A BTCUSDT top of book around `mid` with a one-tick half spread. */
export function btcTop(mid: number, i = 0): BookTop {
  return { i, bid: mid - 0.1, ask: mid + 0.1, bidQty: 1.5, askQty: 2.25, mid };
}

export interface TestVenue {
  venue: StartedVenue;
  recorder: CollectingRecorder;
  base(instance?: string): string;
  /** Unsigned request (NONE / USER_STREAM security). */
  call(method: string, path: string, opts?: { instance?: string; apiKey?: string; query?: string }): Promise<Reply>;
  /** SIGNED request with the account's secret; params go in the query (GET/DELETE) or body (POST/PUT). */
  signed(method: string, path: string, params: Record<string, string>, opts?: SignOpts): Promise<Reply>;
}

export interface SignOpts {
  instance?: string;
  account?: VenueAccount;
  timestamp?: number;
  secret?: string;
}

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect venue JSON freely
  body: any;
}

async function reply(res: Awaited<ReturnType<typeof fetch>>): Promise<Reply> {
  const text = await res.text();
  return { status: res.status, headers: res.headers as unknown as Headers, body: text ? JSON.parse(text) : undefined };
}

export async function startTestVenue(extra: Partial<VenueOptions> = {}): Promise<TestVenue> {
  const recorder = collectingRecorder();
  const venue = await startVenue({ recorder, symbols: DEFAULT_SYMBOLS, accounts: ACCOUNTS, ...extra });
  const base = (instance = 'bot-1') => `http://127.0.0.1:${venue.portFor(instance)}`;
  return {
    venue,
    recorder,
    base,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = opts.apiKey ? { 'X-MBX-APIKEY': opts.apiKey } : {};
      const url = `${base(opts.instance)}${path}${opts.query ? `?${opts.query}` : ''}`;
      return reply(await fetch(url, { method, headers }));
    },
    async signed(method, path, params, opts = {}) {
      const account = opts.account ?? BOT1;
      const total = new URLSearchParams({ ...params, timestamp: String(opts.timestamp ?? Date.now()) }).toString();
      const signed = `${total}&signature=${sign(opts.secret ?? account.apiSecret, total)}`;
      const inBody = method === 'POST' || method === 'PUT';
      const url = `${base(opts.instance ?? account.instance)}${path}${inBody ? '' : `?${signed}`}`;
      const headers: Record<string, string> = { 'X-MBX-APIKEY': account.apiKey };
      if (inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      return reply(await fetch(url, { method, headers, body: inBody ? signed : undefined }));
    },
  };
}

/** A ws client that queues every JSON message it receives. */
export class TestSocket {
  readonly ws: WebSocket;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect venue JSON freely
  readonly messages: any[] = [];
  readonly #waiters: Array<() => void> = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  closed(): Promise<number> {
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  /** Resolves with the first queued-or-future message matching `pred`; fails after `ms`. */
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect venue JSON freely
  async next(pred: (m: any) => boolean, ms = 2000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(pred);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching ws message within ${ms} ms; got: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
