import { errors } from './errors.ts';
import type { VenueRequest } from './routes.ts';

/**
 * Request parameters as Binance reads them: GET from the query string; POST/PUT/DELETE from the
 * query string and/or an application/x-www-form-urlencoded body, the query string winning when a
 * name is in both. The raw texts are kept because signatures are computed over them as sent.
 */

export interface RequestParams {
  /** Raw query string without '?', exactly as sent. */
  readonly query: string;
  /** Raw body text ('' for GET or no body), exactly as sent. */
  readonly body: string;
  readonly values: ReadonlyMap<string, string>;
}

export async function readParams(request: VenueRequest): Promise<RequestParams> {
  const url = new URL(request.url);
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  const values = new Map<string, string>();
  const type = request.headers.get('content-type') ?? '';
  // Binance only reads form bodies; a JSON body's fields are not parameters.
  if (body && (type === '' || type.includes('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(body)) values.set(k, v);
  }
  for (const [k, v] of new URLSearchParams(query)) values.set(k, v);
  return { query, body, values };
}

/** A parameter's value, or undefined when absent or empty (Binance treats both as "not sent"). */
export function param(p: RequestParams, name: string): string | undefined {
  const v = p.values.get(name);
  return v === undefined || v === '' ? undefined : v;
}

/** An optional whole-number parameter (times, ids, limits); anything else is -1130. */
export function intParam(p: RequestParams, name: string): number | undefined {
  const text = param(p, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw errors.invalidParam(name);
  return Number(text);
}
