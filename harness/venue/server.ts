/**
 * The HTTP bridge: a real node:http server per account instance whose REST requests are answered
 * by msw handlers (converted to Fetch Requests and back) and whose upgrades go to the dialect's
 * WebSocket hub. One listener per instance keeps every request attributable even when all bots
 * reach the venue through the same proxy address.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getResponse, type RequestHandler } from 'msw';
import type { Recorder } from '../history/types.ts';
import { jsonReply, type VenueReply } from './dialects/binance-usdm/reply.ts';
import type { DirectResolver, VenueRequest } from './dialects/binance-usdm/routes.ts';
import { type RequestMeta, requestContext } from './request-context.ts';
import { historyWindow, requestFingerprint, retryAfterSeconds } from './request-fingerprint.ts';

export interface HttpDialect {
  handlers: RequestHandler[];
  /**
   * The resolver that answers `METHOD pathname` without going through msw, or undefined when msw
   * must decide (a fault handler is installed, or no route has exactly that path).
   */
  direct?(method: string, pathname: string): DirectResolver | undefined;
  /** Answer for a path no handler matched (Binance: 404). */
  notFound(meta: RequestMeta): VenueReply;
  /** Answer for a handler that threw: a bug in the venue, reported as the venue's 5xx. */
  internalError(meta: RequestMeta): VenueReply;
  onUpgrade(listener: string, req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface Listener {
  readonly instance: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Hop-by-hop headers are the transport's business, not the Fetch Request's. */
const SKIPPED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'host']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function requestUrl(req: IncomingMessage, origin: string): URL {
  // Origin-form targets ("/fapi/..", even "//x") are appended to the origin as sent; WHATWG URL
  // resolution would read "//x" as a host. Anything else (absolute-form, "*") resolves normally.
  const target = req.url ?? '/';
  return target.startsWith('/') ? new URL(origin + target) : new URL(target, origin);
}

function toRequest(req: IncomingMessage, url: URL, body: Buffer): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (!SKIPPED_HEADERS.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1] as string);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
  return new Request(url, { method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

/** The Binance error code of an error response, for the http.request history event. */
function errorCode(status: number, text: string): number | undefined {
  if (status < 400) return undefined;
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The direct path's request: node's parsed headers and the body already read, as the endpoints read them. */
function lightRequest(req: IncomingMessage, url: URL, body: Buffer): VenueRequest {
  const method = req.method ?? 'GET';
  return {
    url: url.href,
    method,
    headers: {
      get(name) {
        const v = req.headers[name.toLowerCase()];
        if (v === undefined) return null;
        return Array.isArray(v) ? v.join(', ') : v;
      },
    },
    text: async () => (method === 'GET' || method === 'HEAD' ? '' : body.toString('utf8')),
  };
}

/** A fault handler's Fetch Response (msw path) as the reply the bridge writes. */
async function venueReply(r: VenueReply | Response): Promise<VenueReply> {
  if (!(r instanceof Response)) return r;
  const headers: Record<string, string> = {};
  for (const [name, value] of r.headers) headers[name] = value;
  return { status: r.status, headers, body: await r.text() };
}

async function handle(req: IncomingMessage, res: ServerResponse, origin: string, meta: RequestMeta, dialect: HttpDialect, recorder: Recorder) {
  const raw = await readBody(req);
  const method = req.method ?? 'GET';
  let url: URL;
  let answer: () => Promise<VenueReply | Response | undefined>;
  try {
    url = requestUrl(req, origin);
    const direct = dialect.direct?.(method, url.pathname);
    if (direct) {
      const request = lightRequest(req, url, raw);
      answer = () => direct({ request });
    } else {
      const request = toRequest(req, url, raw);
      answer = () => getResponse(dialect.handlers, request);
    }
  } catch {
    // A request target no URL parser accepts names no endpoint: the venue's 404.
    recorder.record('venue', 'http.request', { method, path: String(req.url).slice(0, 200), status: 404 }, meta.instance);
    res.statusCode = 404;
    res.end();
    return;
  }
  const own = await requestContext.run(meta, async () => {
    try {
      return (await answer()) ?? dialect.notFound(meta);
    } catch (err) {
      console.error(`venue: handler for ${req.method} ${req.url} on ${meta.listener}'s listener threw:`, err);
      return dialect.internalError(meta);
    }
  });
  let response = meta.replaceResponse ? jsonReply(meta.replaceResponse.body, { status: meta.replaceResponse.status }) : await venueReply(own);
  if (meta.transformBody && response.status === 200 && response.body !== '') {
    try {
      response = { ...response, body: JSON.stringify(meta.transformBody(JSON.parse(response.body))) };
    } catch (err) {
      console.error(`venue: body transform for ${method} ${url.pathname} threw:`, err);
    }
  }
  const text = response.body;
  const code = errorCode(response.status, text);
  const path = url.pathname;
  const fp = requestFingerprint(url, raw);
  const window = historyWindow(url);
  if (meta.dropResponse) {
    // A fault lost the response: the work is done, the client sees the connection die.
    recorder.record('venue', 'http.request', { method, path, status: response.status, dropped: true, fp, ...(window ? { window } : {}) }, meta.instance);
    res.socket?.destroy();
    return;
  }
  const retryAfterS = retryAfterSeconds(response.headers);
  const extra = {
    ...(code === undefined ? {} : { code }),
    fp,
    ...(window ? { window } : {}),
    ...(retryAfterS === undefined ? {} : { retryAfterS }),
    ...(meta.page && response.status === 200 ? { page: meta.page } : {}),
    ...(meta.equityUsdt !== undefined && response.status === 200 ? { equityUsdt: meta.equityUsdt } : {}),
  };
  recorder.record('venue', 'http.request', { method, path, status: response.status, ...extra }, meta.instance);
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(text);
}

export async function startListener(host: string, instance: string, dialect: HttpDialect, recorder: Recorder, port = 0): Promise<Listener> {
  const server: Server = createServer();
  let origin = '';
  server.on('request', (req, res) => {
    const meta: RequestMeta = { listener: instance, remoteIp: req.socket.remoteAddress ?? 'unknown', instance };
    handle(req, res, origin, meta, dialect, recorder).catch((err: unknown) => {
      console.error(`venue: could not answer ${req.method} ${req.url} on ${instance}'s listener:`, err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => dialect.onUpgrade(instance, req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  let closing: Promise<void> | undefined;
  return {
    instance,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
