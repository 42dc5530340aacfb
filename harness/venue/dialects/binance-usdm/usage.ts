/**
 * Rate limits of Binance USD-M, enforced: request weight per IP (the peer address of the
 * connection) and new-order counts per account, in fixed windows (1 minute; 10 seconds and
 * 1 minute), behind the X-MBX-USED-WEIGHT-1M and X-MBX-ORDER-COUNT-10S/1M headers.
 *
 * Over the weight limit an IP gets HTTP 429 with Retry-After (seconds to the end of the window)
 * and -1003. An IP that keeps sending while it is over the limit (more than `banAfter` further
 * 429s in the same window) is banned: HTTP 418 with Retry-After and -1003 "IP banned until", for
 * `banMs`, doubling with every repeat ban up to 3 days ("IP bans ... scale in duration for repeat
 * offenders, from 2 minutes to 3 days"). Binance does not publish how many ignored 429s earn a
 * ban; `banAfter` (default 10) is the venue's choice. Requests during a ban carry no weight.
 *
 * Over an order limit the new order is refused with HTTP 429, Retry-After and -1015 (per account;
 * it never leads to an IP ban). Orders refused that way still count, as every attempt does.
 */

import type { VenueRateLimits } from '../../types.ts';
import { BinanceError } from './errors.ts';
import type { VenueReply } from './reply.ts';

export type RateLimits = VenueRateLimits;

export const BINANCE_RATE_LIMITS: RateLimits = Object.freeze({
  weightPerMinute: 2400,
  ordersPer10s: 300,
  ordersPerMinute: 1200,
  banAfter: 10,
  banMs: 120_000,
});

const MAX_BAN_MS = 3 * 24 * 3_600_000;

/** Fills in Binance's defaults and refuses nonsense so a typo fails at start, not mid-run. */
export function rateLimitsFrom(given: Partial<RateLimits> | undefined): RateLimits {
  const r: RateLimits = { ...BINANCE_RATE_LIMITS, ...given };
  for (const key of ['weightPerMinute', 'ordersPer10s', 'ordersPerMinute', 'banMs'] as const) {
    if (!Number.isInteger(r[key]) || r[key] < 1) throw new Error(`venue: rateLimits.${key} must be a whole number >= 1, got ${r[key]}`);
  }
  if (!Number.isInteger(r.banAfter) || r.banAfter < 0) throw new Error(`venue: rateLimits.banAfter must be a whole number >= 0, got ${r.banAfter}`);
  return r;
}

interface Window {
  start: number;
  count: number;
  /** 429s answered in this window (weight windows only). */
  rejected: number;
}

function windowOf(map: Map<string, Window>, key: string, size: number, now: number): Window {
  const start = Math.floor(now / size) * size;
  let w = map.get(key);
  if (!w || w.start !== start) {
    w = { start, count: 0, rejected: 0 };
    map.set(key, w);
  }
  return w;
}

const retryAfter = (until: number, now: number) => String(Math.max(1, Math.ceil((until - now) / 1000)));

/** A refusal with its Retry-After header. */
export class RateLimitError extends BinanceError {
  readonly retryAfterS: string;

  constructor(status: number, code: number, msg: string, retryAfterS: string) {
    super(status, code, msg);
    this.retryAfterS = retryAfterS;
  }

  override response(): VenueReply {
    const res = super.response();
    return { ...res, headers: { ...res.headers, 'Retry-After': this.retryAfterS } };
  }
}

interface Ban {
  until: number;
  count: number;
}

export class UsageMeter {
  readonly limits: RateLimits;
  readonly #weight = new Map<string, Window>();
  readonly #orders10s = new Map<string, Window>();
  readonly #orders1m = new Map<string, Window>();
  readonly #bans = new Map<string, Ban>();

  constructor(limits: RateLimits = BINANCE_RATE_LIMITS) {
    this.limits = limits;
  }

  /**
   * Admits a request of `weight` from `ip`: returns the weight used in the current minute (for
   * X-MBX-USED-WEIGHT-1M) and, when the IP is over its limit or banned, the error to answer.
   */
  admit(ip: string, weight: number, now: number): { used: number; refusal: RateLimitError | undefined } {
    const w = windowOf(this.#weight, ip, 60_000, now);
    const ban = this.#bans.get(ip);
    if (ban && now < ban.until) return { used: w.count, refusal: banned(ban.until, now) };
    w.count += weight;
    if (w.count <= this.limits.weightPerMinute) return { used: w.count, refusal: undefined };
    w.rejected++;
    if (w.rejected > this.limits.banAfter + 1) {
      const count = (ban?.count ?? 0) + 1;
      const until = now + Math.min(MAX_BAN_MS, this.limits.banMs * 2 ** (count - 1));
      this.#bans.set(ip, { until, count });
      return { used: w.count, refusal: banned(until, now) };
    }
    const msg = `Too many requests; current limit is ${this.limits.weightPerMinute} requests per minute. Please use the websocket for live updates to avoid polling the API.`;
    return { used: w.count, refusal: new RateLimitError(429, -1003, msg, retryAfter(w.start + 60_000, now)) };
  }

  /**
   * Counts a new-order request of an account (instance): its order-count headers, and the -1015
   * refusal when the order is over either order limit.
   */
  addOrder(instance: string, now: number): { headers: Record<string, string>; refusal: RateLimitError | undefined } {
    const w10 = windowOf(this.#orders10s, instance, 10_000, now);
    const w60 = windowOf(this.#orders1m, instance, 60_000, now);
    w10.count++;
    w60.count++;
    const headers = { 'X-MBX-ORDER-COUNT-10S': String(w10.count), 'X-MBX-ORDER-COUNT-1M': String(w60.count) };
    let refusal: RateLimitError | undefined;
    if (w10.count > this.limits.ordersPer10s) refusal = tooManyOrders(this.limits.ordersPer10s, 'TEN_SECONDS', retryAfter(w10.start + 10_000, now));
    else if (w60.count > this.limits.ordersPerMinute) refusal = tooManyOrders(this.limits.ordersPerMinute, 'MINUTE', retryAfter(w60.start + 60_000, now));
    return { headers, refusal };
  }

  /** What exchangeInfo advertises in `rateLimits`. */
  advertised() {
    return [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.limits.weightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: this.limits.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: this.limits.ordersPer10s },
    ];
  }
}

function banned(until: number, now: number): RateLimitError {
  const msg = `Way too many requests; IP banned until ${until}. Please use the websocket for live updates to avoid bans.`;
  return new RateLimitError(418, -1003, msg, retryAfter(until, now));
}

function tooManyOrders(limit: number, per: string, retryAfterS: string): RateLimitError {
  return new RateLimitError(429, -1015, `Too many new orders; current limit is ${limit} orders per ${per}.`, retryAfterS);
}
