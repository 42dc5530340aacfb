import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HistoryEvent, Recorder, Source } from './types.ts';

/**
 * Append-only JSONL writer. Each event is written with a synchronous write(2) so it is in the
 * kernel before `record` returns: a SIGKILLed harness still leaves every recorded event on disk.
 */
export class HistoryWriter implements Recorder {
  readonly path: string;
  #fd: number | undefined;
  #seq = 0;
  readonly #origin: number;
  #scenario: string | undefined;
  readonly #listeners = new Set<(e: HistoryEvent) => void>();

  constructor(path: string, origin = performance.now()) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'a');
    this.#origin = origin;
  }

  now(): number {
    return Math.round((performance.now() - this.#origin) * 1000) / 1000;
  }

  /** Events recorded from now on carry this scenario id (undefined for run-level events). */
  setScenario(id: string | undefined): void {
    this.#scenario = id;
  }

  get count(): number {
    return this.#seq;
  }

  /** Observe events as they are recorded (event-triggered faults, live console progress). */
  subscribe(fn: (e: HistoryEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  record<D extends Record<string, unknown>>(src: Source, type: string, data: D, instance?: string): HistoryEvent<D> {
    const event: HistoryEvent<D> = { seq: this.#seq, t: this.now(), src, type, data };
    if (this.#scenario !== undefined) event.scenario = this.#scenario;
    if (instance !== undefined) event.instance = instance;
    if (this.#fd === undefined) throw new Error(`history ${this.path} is closed`);
    writeSync(this.#fd, `${JSON.stringify(event)}\n`);
    this.#seq++;
    for (const fn of this.#listeners) {
      try {
        fn(event as HistoryEvent);
      } catch {
        // A listener's bug must never lose or block the history.
      }
    }
    return event;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
