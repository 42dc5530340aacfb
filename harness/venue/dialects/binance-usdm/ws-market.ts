/**
 * Market streams: the live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS protocol, the
 * `<symbol>@bookTicker` payload pushed on every applyTick, and `<symbol>@ticker` (24hrTicker)
 * pushed at most every 500 ms. Stream names are matched
 * case-insensitively; names the venue has no data for are accepted and stay silent, as on Binance.
 */
import type { BookTop } from '../../../market/price-path.ts';
import { fixed } from '../../engine/decimal.ts';
import type { DialectContext } from './endpoint.ts';
import { miniTickerEvent, TICKER_PUSH_INTERVAL_MS, tickerEvent, updateStats } from './ticker.ts';
import type { WsConn, WsHub } from './ws-hub.ts';

const METHODS = 'SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY';

interface Request {
  method?: unknown;
  params?: unknown;
  id?: unknown;
}

function reply(conn: WsConn, body: unknown): void {
  if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(body));
}

function parse(text: string): Request | undefined {
  try {
    const req: unknown = JSON.parse(text);
    return typeof req === 'object' && req !== null ? (req as Request) : undefined;
  } catch {
    return undefined;
  }
}

/** The reply to a malformed request, or undefined when the request is well-formed. */
function malformed(req: Request | undefined): object | undefined {
  if (!req) return { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' };
  const id = req.id ?? null;
  if (id !== null && !(typeof id === 'number' && Number.isInteger(id) && id >= 0)) {
    return { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' };
  }
  if (req.method === 'LIST_SUBSCRIPTIONS') return undefined;
  if (req.method !== 'SUBSCRIBE' && req.method !== 'UNSUBSCRIBE') {
    return { code: 2, msg: `Invalid request: unknown variant \`${String(req.method)}\`, expected one of ${METHODS}`, id };
  }
  const params = req.params;
  if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
    return { code: 1, msg: 'Invalid value type: expected array of strings', id };
  }
  return undefined;
}

/** Handles one text frame from a client (market or user connection alike, as on Binance). */
export function handleClientMessage(ctx: DialectContext, hub: WsHub, conn: WsConn, text: string): void {
  const req = parse(text);
  const error = malformed(req);
  if (error || !req) {
    reply(conn, error);
    return;
  }
  const id = req.id ?? null;
  const method = req.method;
  if (method === 'LIST_SUBSCRIPTIONS') {
    reply(conn, { result: [...conn.streams.values()], id });
    return;
  }
  const params = req.params as string[];
  const changed: string[] = [];
  for (const name of params) {
    const key = name.toLowerCase();
    if (method === 'SUBSCRIBE' ? hub.subscribe(conn, key, name) : hub.unsubscribe(conn, key)) changed.push(key);
  }
  if (changed.length > 0) {
    const type = method === 'SUBSCRIBE' ? 'ws.subscribe' : 'ws.unsubscribe';
    ctx.recorder.record('venue', type, { connId: conn.id, streams: changed }, conn.instance);
  }
  reply(conn, { result: null, id });
}

/** Pushes `<symbol>@bookTicker` to every connection subscribed to it. */
export function pushBookTicker(ctx: DialectContext, hub: WsHub, symbol: string, top: BookTop): void {
  const u = (ctx.bookIds.get(symbol) ?? 0) + 1;
  ctx.bookIds.set(symbol, u);
  const name = `${symbol.toLowerCase()}@bookticker`;
  const d = ctx.engine.decimals(symbol);
  const now = ctx.engine.now();
  const payload = {
    e: 'bookTicker',
    u,
    E: now,
    T: now,
    s: symbol,
    b: fixed(top.bid, d.price),
    B: fixed(top.bidQty, d.qty),
    a: fixed(top.ask, d.price),
    A: fixed(top.askQty, d.qty),
  };
  const subscribers = hub.subscribers(name);
  if (subscribers) hub.broadcast(subscribers, name, payload);
}

/** Pushes `<symbol>@ticker` (24hrTicker) and `<symbol>@miniTicker` to their subscribers, at most every TICKER_PUSH_INTERVAL_MS. */
export function pushTicker(ctx: DialectContext, hub: WsHub, symbol: string, top: BookTop): void {
  const stats = updateStats(ctx, symbol, top);
  const now = ctx.engine.now();
  if (now - stats.lastPushAt < TICKER_PUSH_INTERVAL_MS) return;
  const lower = symbol.toLowerCase();
  const kinds = [
    { name: `${lower}@ticker`, make: () => tickerEvent(ctx, symbol) },
    { name: `${lower}@miniticker`, make: () => miniTickerEvent(ctx, symbol) },
  ];
  let pushed = false;
  for (const { name, make } of kinds) {
    const subscribers = hub.subscribers(name);
    if (!subscribers) continue;
    hub.broadcast(subscribers, name, make());
    pushed = true;
  }
  if (pushed) stats.lastPushAt = now;
}
