import type { MarketSpec } from '../core/scenario.ts';
import type { Recorder } from '../history/types.ts';
import { type BookTop, PricePath } from '../market/price-path.ts';

export interface TickSink {
  applyTick(symbol: string, top: BookTop): void;
}

/**
 * Drives the venue's book from the seeded price path: tick i is applied at start + i * tickMs
 * (drift-corrected), recorded as a `market tick` event first, then handed to the venue.
 */
export class MarketDriver {
  readonly #path: PricePath;
  readonly #spec: MarketSpec;
  readonly #recorder: Recorder;
  readonly #sink: TickSink;
  #timer: NodeJS.Timeout | undefined;
  #i = 0;
  #start = 0;
  #running = false;

  constructor(seed: number, spec: MarketSpec, tickSize: number, stepSize: number, recorder: Recorder, sink: TickSink) {
    this.#spec = spec;
    this.#recorder = recorder;
    this.#sink = sink;
    this.#path = new PricePath(seed, {
      symbol: spec.symbol,
      startPrice: spec.startPrice,
      tickSize,
      volPerTick: spec.volPerTick,
      maxHalfSpreadTicks: 2,
      minQty: stepSize * 100,
      maxQty: stepSize * 5000,
      stepSize,
    });
  }

  /** Applies tick 0 synchronously (so the venue has a price before any bot starts), then keeps ticking. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#start = performance.now();
    this.#tick();
  }

  #tick = (): void => {
    if (!this.#running) return;
    const top = this.#path.at(this.#i);
    this.#recorder.record('market', 'tick', {
      symbol: this.#spec.symbol,
      i: top.i,
      bid: String(top.bid),
      ask: String(top.ask),
      mid: String(top.mid),
    });
    this.#sink.applyTick(this.#spec.symbol, top);
    this.#i++;
    const due = this.#start + this.#i * this.#spec.tickMs;
    this.#timer = setTimeout(this.#tick, Math.max(0, due - performance.now()));
  };

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  get ticks(): number {
    return this.#i;
  }
}
