/**
 * The WebSocket side of every listener (ws `noServer` upgrades on the HTTP server): routes Binance
 * paths to market or user-data connections, records ws.open / ws.close, sends server pings, and
 * tears everything down on stop. Binance paths:
 *   /ws/<stream>[/<stream>...]       raw payloads          (stream names contain '@')
 *   /stream?streams=<s1>/<s2>        {"stream","data"} envelope
 *   /ws/<listenKey>, /stream?streams=<listenKey>   user data (a listen key has no '@')
 * and the routed forms current clients use (ccxt, Binance's own connectors):
 *   /public/ws[/...], /public/stream?streams=    market streams (high-frequency book data)
 *   /market/ws[/...], /market/stream?streams=    market streams (everything else)
 *   /private/ws?listenKey=<key>, /private/ws/<key>, /private/stream?listenKey=<key>   user data
 * Under /public and /market every path segment is a market stream name (ccxt connects to
 * /market/ws/<n> and then SUBSCRIBEs). The venue serves every market stream on every route.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { MarketCorruptData, WsCloseData, WsOpenData } from '../../../history/types.ts';
import type { DialectContext } from './endpoint.ts';
import { corruptPayload, type MarketCorruption } from './ws-corrupt.ts';

export interface WsConn {
  readonly id: number;
  readonly socket: WebSocket;
  /** The upgraded TCP socket under `socket`: corked while a burst of messages is queued. */
  readonly transport: Duplex;
  readonly kind: 'market' | 'user';
  /** Instance the connection is recorded under: the listen key's owner, else the listener's. */
  readonly instance: string;
  readonly combined: boolean;
  /** Subscribed streams: lower-case name -> name as the client wrote it (echoed in envelopes). */
  readonly streams: Map<string, string>;
  readonly listenKey?: string;
}

type MessageHandler = (conn: WsConn, text: string) => void;

interface Route {
  /** Market stream names (empty for a user-data connection). */
  names: string[];
  combined: boolean;
  /** The listen key of a user-data connection (may be unknown or expired). */
  listenKey: string | undefined;
}

export function route(rawUrl: string): Route | undefined {
  try {
    const url = new URL(rawUrl, 'http://venue');
    const routed = /^\/(public|market|private)(\/.*)$/.exec(url.pathname);
    const category = routed?.[1];
    const path = routed ? (routed[2] as string) : url.pathname;
    let names: string[];
    let combined: boolean;
    if (path === '/ws' || path.startsWith('/ws/')) {
      names = path.slice(3).split('/').filter(Boolean).map(decodeURIComponent);
      combined = false;
    } else if (path === '/stream') {
      names = (url.searchParams.get('streams') ?? '').split('/').filter(Boolean);
      combined = true;
    } else {
      return undefined;
    }
    if (category === 'private') return { names: [], combined, listenKey: url.searchParams.get('listenKey') ?? names[0] ?? '' };
    // ccxt's /market/ws/<n> path index is not a stream; real names have '@' or start with '!'.
    if (category !== undefined) return { names: names.filter((n) => n.includes('@') || n.startsWith('!')), combined, listenKey: undefined };
    const first = names[0];
    const isUser = names.length === 1 && first !== undefined && !first.includes('@');
    return isUser ? { names: [], combined, listenKey: first } : { names, combined, listenKey: undefined };
  } catch {
    return undefined; // malformed escapes in the path: refused like an unknown path
  }
}

export class WsHub {
  readonly #ctx: DialectContext;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #conns = new Map<number, WsConn>();
  /** Lower-case market stream name -> its subscribed connections, so a push never scans every connection. */
  readonly #index = new Map<string, Set<WsConn>>();
  readonly #timer: NodeJS.Timeout;
  /** Instances whose market-stream messages are dropped (StartedVenue.pauseMarketData). */
  readonly #pausedMarket = new Set<string>();
  /** Instances whose market prices are corrupted (StartedVenue.corruptMarketData, ws-corrupt.ts). */
  readonly #corrupt = new Map<string, MarketCorruption>();
  /** Transports corked in this tick; uncorked together on the next tick (one writev per burst). */
  readonly #corked = new Set<Duplex>();
  #onMessage: MessageHandler = () => {};
  #nextId = 1;
  #stopping: Promise<void> | undefined;

  constructor(ctx: DialectContext, pingIntervalMs: number) {
    this.#ctx = ctx;
    // Binance pings every 3 minutes; pings are transport noise and are not recorded.
    this.#timer = setInterval(() => {
      for (const c of this.#conns.values()) if (c.socket.readyState === WebSocket.OPEN) c.socket.ping();
    }, pingIntervalMs);
    this.#timer.unref();
  }

  onMessage(handler: MessageHandler): void {
    this.#onMessage = handler;
  }

  conns(): IterableIterator<WsConn> {
    return this.#conns.values();
  }

  /** Connections subscribed to a (lower-case) stream name, or undefined when none ever was. */
  subscribers(key: string): ReadonlySet<WsConn> | undefined {
    const set = this.#index.get(key);
    return set !== undefined && set.size > 0 ? set : undefined;
  }

  /** Adds a stream to a connection (key lower-case, `asWritten` echoed in envelopes); false if it had it. */
  subscribe(conn: WsConn, key: string, asWritten: string): boolean {
    if (conn.streams.has(key)) return false;
    conn.streams.set(key, asWritten);
    let set = this.#index.get(key);
    if (!set) {
      set = new Set();
      this.#index.set(key, set);
    }
    set.add(conn);
    return true;
  }

  /** Removes a stream from a connection; false if it did not have it. */
  unsubscribe(conn: WsConn, key: string): boolean {
    if (!conn.streams.delete(key)) return false;
    this.#index.get(key)?.delete(conn);
    return true;
  }

  handleUpgrade(listener: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const r = this.#stopping ? undefined : route(req.url ?? '/');
    if (!r) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(listener, req.url ?? '/', r, ws, socket));
  }

  pauseMarket(instance: string, paused: boolean): void {
    if (paused) this.#pausedMarket.add(instance);
    else this.#pausedMarket.delete(instance);
  }

  corruptMarket(instance: string, c: MarketCorruption | undefined): void {
    if (c) this.#corrupt.set(instance, c);
    else this.#corrupt.delete(instance);
  }

  /** Sends the corrupted form of a market payload when the connection's instance is corrupted and the payload has prices; true if sent. */
  #sendCorrupt(conn: WsConn, stream: string, payload: unknown): boolean {
    const c = this.#corrupt.get(conn.instance);
    const bad = c === undefined ? undefined : corruptPayload(payload, c);
    if (c === undefined || bad === undefined) return false;
    this.#write(conn, JSON.stringify(conn.combined ? { stream, data: bad.payload } : bad.payload));
    const data: MarketCorruptData = { connId: conn.id, stream: stream.toLowerCase(), symbol: bad.symbol, mode: c.mode, values: bad.values };
    this.#ctx.recorder.record('venue', 'market.corrupt', data, conn.instance);
    return true;
  }

  #open(listener: string, path: string, r: Route, socket: WebSocket, transport: Duplex): void {
    const isUser = r.listenKey !== undefined;
    const owner = r.listenKey !== undefined ? this.#ctx.listenKeys.owner(r.listenKey, this.#ctx.engine.now()) : undefined;
    const conn: WsConn = {
      id: this.#nextId++,
      socket,
      transport,
      kind: isUser ? 'user' : 'market',
      instance: owner ?? listener,
      combined: r.combined,
      streams: new Map(),
      ...(r.listenKey !== undefined ? { listenKey: r.listenKey } : {}),
    };
    for (const n of r.names) this.subscribe(conn, n.toLowerCase(), n);
    this.#conns.set(conn.id, conn);
    const open: WsOpenData = { connId: conn.id, kind: conn.kind, path, streams: [...conn.streams.keys()] };
    // An unknown or expired listen key is accepted like any stream name and simply gets no events.
    if (isUser) open.listenKeyValid = owner !== undefined;
    this.#ctx.recorder.record('venue', 'ws.open', open, conn.instance);
    this.#ctx.events.emit('connection.opened', { instance: conn.instance, connId: conn.id, kind: conn.kind, path });
    socket.on('message', (data: RawData) => this.#onMessage(conn, data.toString()));
    socket.on('error', () => {}); // a client's broken socket must not crash the harness; 'close' follows
    socket.on('close', (code: number, reason: Buffer) => {
      this.#conns.delete(conn.id);
      for (const key of conn.streams.keys()) this.#index.get(key)?.delete(conn);
      const closed: WsCloseData = { connId: conn.id, kind: conn.kind, code };
      if (reason.length > 0) closed.reason = reason.toString();
      this.#ctx.recorder.record('venue', 'ws.close', closed, conn.instance);
      this.#ctx.events.emit('connection.closed', { instance: conn.instance, connId: conn.id, kind: conn.kind, code });
    });
  }

  /** Sends one stream payload, wrapped in the combined-stream envelope where the client asked for it. */
  send(conn: WsConn, stream: string, payload: unknown, raw?: string): void {
    if (conn.socket.readyState !== WebSocket.OPEN) return;
    if (conn.kind === 'market' && this.#pausedMarket.has(conn.instance)) return;
    if (conn.kind === 'market' && this.#corrupt.size > 0 && this.#sendCorrupt(conn, stream, payload)) return;
    this.#write(conn, conn.combined ? JSON.stringify({ stream, data: payload }) : (raw ?? JSON.stringify(payload)));
  }

  /**
   * Sends one stream payload to every connection in `conns` (subscribers of the lower-case stream
   * `key`), serialising it once (and its combined envelope once per spelling of the name).
   */
  broadcast(conns: ReadonlySet<WsConn>, key: string, payload: unknown): void {
    let raw: string | undefined;
    let envelopes: Map<string, string> | undefined;
    const paused = this.#pausedMarket.size > 0;
    for (const conn of conns) {
      if (conn.socket.readyState !== WebSocket.OPEN) continue;
      if (paused && conn.kind === 'market' && this.#pausedMarket.has(conn.instance)) continue;
      if (this.#corrupt.size > 0 && conn.kind === 'market' && this.#sendCorrupt(conn, conn.streams.get(key) ?? key, payload)) continue;
      raw ??= JSON.stringify(payload);
      if (!conn.combined) {
        this.#write(conn, raw);
        continue;
      }
      const name = conn.streams.get(key) ?? key;
      envelopes ??= new Map();
      let text = envelopes.get(name);
      if (text === undefined) {
        text = `{"stream":${JSON.stringify(name)},"data":${raw}}`;
        envelopes.set(name, text);
      }
      this.#write(conn, text);
    }
  }

  /**
   * Queues one message. Messages sent in the same tick to one connection leave in one write
   * (cork now, uncork on the next tick): a burst of ticks costs one syscall per client, not one
   * per message. Order is unchanged and nothing waits longer than the current tick.
   */
  #write(conn: WsConn, text: string): void {
    if (!this.#corked.has(conn.transport)) {
      conn.transport.cork();
      this.#corked.add(conn.transport);
      if (this.#corked.size === 1) process.nextTick(this.#flush);
    }
    conn.socket.send(text);
  }

  /** Writes out every queued burst (also before a close or terminate, so no queued message is lost). */
  readonly #flush = (): void => {
    for (const t of this.#corked) t.uncork();
    this.#corked.clear();
  };

  /** Closes an instance's connections of one kind with a close frame (code, reason); returns how many. */
  closeConnections(instance: string, kind: 'market' | 'user', code: number, reason: string): number {
    this.#flush();
    let n = 0;
    for (const c of this.#conns.values()) {
      if (c.instance !== instance || c.kind !== kind || c.socket.readyState !== WebSocket.OPEN) continue;
      c.socket.close(code, reason);
      n++;
    }
    return n;
  }

  closeUserStreams(listenKey: string): void {
    this.#flush();
    for (const c of this.#conns.values()) if (c.listenKey === listenKey) c.socket.close(1000, 'listenKey deleted');
  }

  /** Terminates every connection and the server; resolves when all sockets reported close. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#timer);
      this.#flush();
      const closed = [...this.#conns.values()].map(
        (c) => new Promise<void>((resolve) => (c.socket.readyState === WebSocket.CLOSED ? resolve() : c.socket.once('close', () => resolve()))),
      );
      for (const c of this.#conns.values()) c.socket.terminate();
      await Promise.all(closed);
      await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    })();
    return this.#stopping;
  }
}
