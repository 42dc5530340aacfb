/**
 * Request-weight and order-count meters behind the X-MBX-USED-WEIGHT-1M and
 * X-MBX-ORDER-COUNT-10S/1M headers. Binance counts weight per IP and orders per account in fixed
 * windows; here "per IP" is per listener, since each instance has its own listener. Counting
 * only: 429/418 limits come later.
 */

interface Window {
  start: number;
  count: number;
}

function bump(map: Map<string, Window>, key: string, size: number, now: number, by: number): number {
  const start = Math.floor(now / size) * size;
  let w = map.get(key);
  if (!w || w.start !== start) {
    w = { start, count: 0 };
    map.set(key, w);
  }
  w.count += by;
  return w.count;
}

export class UsageMeter {
  readonly #weight = new Map<string, Window>();
  readonly #orders10s = new Map<string, Window>();
  readonly #orders1m = new Map<string, Window>();

  /** Adds a request's weight for a listener; returns the weight used in the current minute. */
  addWeight(listener: string, weight: number, now: number): number {
    return bump(this.#weight, listener, 60_000, now, weight);
  }

  /** Counts a new-order request of an account (instance); returns its order-count headers. */
  addOrder(instance: string, now: number): Record<string, string> {
    return this.orderHeaders(instance, now, 1);
  }

  orderHeaders(instance: string, now: number, by = 0): Record<string, string> {
    return {
      'X-MBX-ORDER-COUNT-10S': String(bump(this.#orders10s, instance, 10_000, now, by)),
      'X-MBX-ORDER-COUNT-1M': String(bump(this.#orders1m, instance, 60_000, now, by)),
    };
  }
}
