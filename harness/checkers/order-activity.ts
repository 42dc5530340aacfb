/**
 * Which of an instance's orders are still working at the venue, per symbol, and when its last
 * order event happened: what "a quiet point" means for checks that compare the bot's own view
 * (position, PnL) with the venue's only once nothing is in flight.
 */
import type { HistoryEvent } from '../history/types.ts';

/** A probe's symbol and one of its numeric fields (position, realized PnL), when both are usable. */
export function symbolValue(data: Record<string, unknown>, field: string): { symbol: string; value: number } | undefined {
  const value = Number(data[field]);
  return typeof data.symbol === 'string' && Number.isFinite(value) ? { symbol: data.symbol, value } : undefined;
}

/** The per-instance, per-symbol key the order checks use. */
export const instanceSymbol = (instance: string, symbol: string): string => `${instance}\u0000${symbol}`;

export class OrderActivity {
  readonly #working = new Map<string, Set<number>>();
  readonly #lastEventT = new Map<string, number>();

  /**
   * Follows one event: a venue order.new marks its order working, a FILLED order.fill or an
   * order.cancel ends it. Returns the event's instance/symbol key when it was an order event.
   */
  track(e: HistoryEvent): string | undefined {
    if (e.src !== 'venue' || e.instance === undefined) return undefined;
    if (e.type !== 'order.new' && e.type !== 'order.fill' && e.type !== 'order.cancel') return undefined;
    const d = e.data as { symbol: string; orderId: number; status?: string };
    const key = instanceSymbol(e.instance, d.symbol);
    let working = this.#working.get(key);
    if (!working) {
      working = new Set();
      this.#working.set(key, working);
    }
    if (e.type === 'order.new') working.add(d.orderId);
    else if (e.type === 'order.cancel' || d.status === 'FILLED') working.delete(d.orderId);
    this.#lastEventT.set(key, e.t);
    return key;
  }

  /** No order working and the last order event at least `settleMs` before `t`. */
  quiet(key: string, t: number, settleMs: number): boolean {
    const last = this.#lastEventT.get(key);
    return (this.#working.get(key)?.size ?? 0) === 0 && (last === undefined || t - last >= settleMs);
  }

  /** Milliseconds from the key's last order event to `t` (for messages). */
  sinceLastEvent(key: string, t: number): number {
    return t - (this.#lastEventT.get(key) ?? t);
  }
}
