/**
 * What the history records about a REST request beyond method, path and answer, for checks of a
 * bot's outbound discipline (harness/checkers/outbound-discipline.ts):
 * - `fp`: a short digest of the request's parameters (query and form body) without the ones that
 *   change on every send (timestamp, signature, recvWindow). Two requests with the same method,
 *   path and fp are the same request sent again;
 * - `retryAfterS`: the Retry-After header of the answer (429/418 and the like), in seconds.
 */
import { createHash } from 'node:crypto';
import type { HistoryWindow } from '../history/types.ts';

const VOLATILE = new Set(['timestamp', 'signature', 'recvWindow']);

export function requestFingerprint(url: URL, body: Uint8Array): string {
  const params = [...url.searchParams];
  if (body.length > 0) params.push(...new URLSearchParams(Buffer.from(body).toString('utf8')));
  const kept = params
    .filter(([k]) => !VOLATILE.has(k))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort();
  return createHash('sha256').update(kept.join('&')).digest('hex').slice(0, 16);
}

/** Retry-After in seconds (delta-seconds form), or undefined when absent or not a number. */
export function retryAfterSeconds(headers: Readonly<Record<string, string>>): number | undefined {
  // Header names are case-insensitive: a fault's Fetch Response arrives lower-cased.
  const name = Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
  const raw = name === undefined ? undefined : headers[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The candle window a market-history request asks for (any GET with an `interval` query: klines and
 * its kin), recorded whatever the answer, so a failed page can be matched against the pages that
 * later fill it. undefined for other requests.
 */
export function historyWindow(url: URL, now = Date.now()): HistoryWindow | undefined {
  const q = url.searchParams;
  const interval = q.get('interval');
  if (interval === null) return undefined;
  const num = (name: string) => {
    const v = q.get(name);
    return v === null || !/^-?\d+$/.test(v) ? undefined : Number(v);
  };
  const w: HistoryWindow = { symbol: (q.get('symbol') ?? q.get('pair') ?? '').toUpperCase(), interval, now };
  const start = num('startTime');
  const end = num('endTime');
  const limit = num('limit');
  if (start !== undefined) w.startTime = start;
  if (end !== undefined) w.endTime = end;
  if (limit !== undefined) w.limit = limit;
  return w;
}
