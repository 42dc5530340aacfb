import type { HistoryEvent, Source } from './types.ts';

/** Builds small hand-written histories for checker tests: `h.at(1000).add('venue', 'order.new', {...}, 'bot-1')`. */
export class SyntheticHistory {
  readonly events: HistoryEvent[] = [];
  #t = 0;

  at(t: number): this {
    this.#t = t;
    return this;
  }

  add(src: Source, type: string, data: Record<string, unknown>, instance?: string): number {
    const e: HistoryEvent = { seq: this.events.length, t: this.#t, src, type, scenario: 'synthetic', data };
    if (instance !== undefined) e.instance = instance;
    this.events.push(e);
    return e.seq;
  }

  /** Market ticks every `everyMs` from `from` to `to` inclusive. */
  ticks(symbol: string, from: number, to: number, everyMs: number): void {
    for (let t = from, i = 0; t <= to; t += everyMs, i++) {
      this.at(t).add('market', 'tick', { symbol, i, bid: '100.0', ask: '100.2', mid: '100.1' });
    }
  }
}
