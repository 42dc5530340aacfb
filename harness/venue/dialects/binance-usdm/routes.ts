/**
 * The dialect's REST routes: each is an msw handler (so fault handlers installed with `use()` can
 * shadow it exactly as msw orders handlers) and an entry in a direct table the HTTP bridge uses
 * while no fault handler is installed. The direct path skips msw's per-request matching, cloning
 * and abort plumbing, which was most of the venue's order round-trip cost over a bare server.
 */
import { http, type RequestHandler } from 'msw';
import { toResponse, type VenueReply } from './reply.ts';

/**
 * The part of a Fetch Request the endpoints read. msw passes a real Request; the direct path
 * passes a light view over node's IncomingMessage (no WHATWG body stream, no Headers copy).
 */
export interface VenueRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What every endpoint resolver reads from msw's resolver info: only the request. */
export type DirectResolver = (info: { request: VenueRequest }) => Promise<VenueReply>;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const entries = new WeakMap<RequestHandler, { method: Method; path: string; resolver: DirectResolver }>();

function add(method: Method, path: string, resolver: DirectResolver): RequestHandler {
  if (!path.startsWith('*/')) throw new Error(`venue route ${method} ${path}: paths are origin-free ("*/fapi/...")`);
  const factory = { GET: http.get, POST: http.post, PUT: http.put, DELETE: http.delete }[method];
  const handler = factory(path, async (info) => toResponse(await resolver(info)));
  entries.set(handler, { method, path: path.slice(1), resolver });
  return handler;
}

export const route = {
  get: (path: string, resolver: DirectResolver) => add('GET', path, resolver),
  post: (path: string, resolver: DirectResolver) => add('POST', path, resolver),
  put: (path: string, resolver: DirectResolver) => add('PUT', path, resolver),
  delete: (path: string, resolver: DirectResolver) => add('DELETE', path, resolver),
};

/** `METHOD /path` -> resolver for the handlers made by `route`; any other handler is an error. */
export function directTable(handlers: readonly RequestHandler[]): Map<string, DirectResolver> {
  const table = new Map<string, DirectResolver>();
  for (const h of handlers) {
    const e = entries.get(h);
    if (!e) throw new Error('venue: a dialect handler was not made with route.*; the direct path cannot serve it');
    const key = `${e.method} ${e.path}`;
    // msw answers with the first matching handler; the table keeps the same precedence.
    if (!table.has(key)) table.set(key, e.resolver);
  }
  return table;
}
