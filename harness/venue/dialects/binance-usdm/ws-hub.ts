/**
 * The WebSocket side of every listener (ws `noServer` upgrades on the HTTP server): routes Binance
 * paths to market or user-data connections, records ws.open / ws.close, sends server pings, and
 * tears everything down on stop. Binance paths:
 *   /ws/<stream>[/<stream>...]       raw payloads          (stream names contain '@')
 *   /stream?streams=<s1>/<s2>        {"stream","data"} envelope
 *   /ws/<listenKey>, /stream?streams=<listenKey>   user data (a listen key has no '@')
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { WsCloseData, WsOpenData } from '../../../history/types.ts';
import type { DialectContext } from './endpoint.ts';

export interface WsConn {
  readonly id: number;
  readonly socket: WebSocket;
  readonly kind: 'market' | 'user';
  /** Instance the connection is recorded under: the listen key's owner, else the listener's. */
  readonly instance: string;
  readonly combined: boolean;
  /** Subscribed streams: lower-case name -> name as the client wrote it (echoed in envelopes). */
  readonly streams: Map<string, string>;
  readonly listenKey?: string;
}

type MessageHandler = (conn: WsConn, text: string) => void;

function route(rawUrl: string): { names: string[]; combined: boolean } | undefined {
  const url = new URL(rawUrl, 'http://venue');
  if (url.pathname === '/ws' || url.pathname.startsWith('/ws/')) {
    return { names: url.pathname.slice(3).split('/').filter(Boolean).map(decodeURIComponent), combined: false };
  }
  if (url.pathname === '/stream') return { names: (url.searchParams.get('streams') ?? '').split('/').filter(Boolean), combined: true };
  return undefined;
}

export class WsHub {
  readonly #ctx: DialectContext;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #conns = new Map<number, WsConn>();
  readonly #timer: NodeJS.Timeout;
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

  handleUpgrade(listener: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const r = this.#stopping ? undefined : route(req.url ?? '/');
    if (!r) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(listener, req.url ?? '/', r.names, r.combined, ws));
  }

  #open(listener: string, path: string, names: string[], combined: boolean, socket: WebSocket): void {
    const first = names[0];
    const isUser = names.length === 1 && first !== undefined && !first.includes('@');
    const owner = isUser ? this.#ctx.listenKeys.owner(first, this.#ctx.engine.now()) : undefined;
    const conn: WsConn = {
      id: this.#nextId++,
      socket,
      kind: isUser ? 'user' : 'market',
      instance: owner ?? listener,
      combined,
      streams: new Map(isUser ? [] : names.map((n) => [n.toLowerCase(), n])),
      ...(isUser ? { listenKey: first } : {}),
    };
    this.#conns.set(conn.id, conn);
    const open: WsOpenData = { connId: conn.id, kind: conn.kind, path, streams: [...conn.streams.keys()] };
    // An unknown or expired listen key is accepted like any stream name and simply gets no events.
    if (isUser) open.listenKeyValid = owner !== undefined;
    this.#ctx.recorder.record('venue', 'ws.open', open, conn.instance);
    socket.on('message', (data: RawData) => this.#onMessage(conn, data.toString()));
    socket.on('error', () => {}); // a client's broken socket must not crash the harness; 'close' follows
    socket.on('close', (code: number, reason: Buffer) => {
      this.#conns.delete(conn.id);
      const closed: WsCloseData = { connId: conn.id, kind: conn.kind, code };
      if (reason.length > 0) closed.reason = reason.toString();
      this.#ctx.recorder.record('venue', 'ws.close', closed, conn.instance);
    });
  }

  /** Sends one stream payload, wrapped in the combined-stream envelope where the client asked for it. */
  send(conn: WsConn, stream: string, payload: unknown, raw?: string): void {
    if (conn.socket.readyState !== WebSocket.OPEN) return;
    conn.socket.send(conn.combined ? JSON.stringify({ stream, data: payload }) : (raw ?? JSON.stringify(payload)));
  }

  closeUserStreams(listenKey: string): void {
    for (const c of this.#conns.values()) if (c.listenKey === listenKey) c.socket.close(1000, 'listenKey deleted');
  }

  /** Terminates every connection and the server; resolves when all sockets reported close. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#timer);
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
