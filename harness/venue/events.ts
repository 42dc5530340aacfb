/**
 * Venue events for faults: a tiny synchronous emitter. Listeners run at the very moment the venue
 * does the thing (inside the request or tick that caused it, before the response or the stream
 * message leaves), so a fault can act "right after the order executed, before the ack is sent".
 * A throwing listener is reported and skipped: a fault's bug must not break the venue.
 */
import type { VenueEventMap, VenueEventType } from './types.ts';

type Listener<K extends VenueEventType> = (event: VenueEventMap[K]) => void;

export class VenueEvents {
  readonly #listeners = new Map<VenueEventType, Set<Listener<VenueEventType>>>();

  on<K extends VenueEventType>(type: K, fn: Listener<K>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    const entry = fn as Listener<VenueEventType>;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<K extends VenueEventType>(type: K, event: VenueEventMap[K]): void {
    const set = this.#listeners.get(type);
    if (!set || set.size === 0) return;
    for (const fn of [...set]) {
      try {
        fn(event);
      } catch (err) {
        console.error(`venue: a "${type}" event listener threw:`, err);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
