/**
 * User-data-stream listen keys, Binance USD-M semantics: one active key per account, valid 60
 * minutes, POST returns the active key (extending it) or a new one, PUT extends, DELETE ends it.
 * Expiry is checked lazily on use, so no timer outlives the venue.
 */
import { rngFor } from '../../../core/rng.ts';

export const LISTEN_KEY_TTL_MS = 60 * 60_000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface Entry {
  key: string;
  instance: string;
  expiresAt: number;
}

export class ListenKeys {
  // Seeded: listen keys are part of the recorded history, so a rerun should produce the same ones.
  readonly #rng = rngFor(0, 'venue:binance-usdm:listen-key');
  readonly #byInstance = new Map<string, Entry>();
  readonly #byKey = new Map<string, Entry>();

  #newKey(): string {
    let key = '';
    for (let i = 0; i < 64; i++) key += ALPHABET[this.#rng.int(0, ALPHABET.length - 1)];
    return key;
  }

  #active(instance: string, now: number): Entry | undefined {
    const e = this.#byInstance.get(instance);
    return e && e.expiresAt > now ? e : undefined;
  }

  /** POST: the active key extended, or a fresh one. */
  create(instance: string, now: number): { key: string; reused: boolean } {
    const active = this.#active(instance, now);
    if (active) {
      active.expiresAt = now + LISTEN_KEY_TTL_MS;
      return { key: active.key, reused: true };
    }
    const old = this.#byInstance.get(instance);
    if (old) this.#byKey.delete(old.key);
    const e: Entry = { key: this.#newKey(), instance, expiresAt: now + LISTEN_KEY_TTL_MS };
    this.#byInstance.set(instance, e);
    this.#byKey.set(e.key, e);
    return { key: e.key, reused: false };
  }

  /** PUT: extends the active key; undefined when there is none (Binance: -1125). */
  keepalive(instance: string, now: number): string | undefined {
    const active = this.#active(instance, now);
    if (!active) return undefined;
    active.expiresAt = now + LISTEN_KEY_TTL_MS;
    return active.key;
  }

  /** DELETE: ends the account's key, returning it if there was one. */
  remove(instance: string): string | undefined {
    const e = this.#byInstance.get(instance);
    if (!e) return undefined;
    this.#byInstance.delete(instance);
    this.#byKey.delete(e.key);
    return e.key;
  }

  /** Ends the validity of the instance's key now (it stays known as lapsed); returns it if it was valid. */
  expire(instance: string, now: number): string | undefined {
    const active = this.#active(instance, now);
    if (!active) return undefined;
    active.expiresAt = now;
    return active.key;
  }

  /** The owner of a key that exists but whose validity has lapsed; undefined for valid or unknown keys. */
  lapsedOwner(key: string, now: number): string | undefined {
    const e = this.#byKey.get(key);
    return e && e.expiresAt <= now ? e.instance : undefined;
  }

  /** The instance owning a valid, unexpired key. */
  owner(key: string, now: number): string | undefined {
    const e = this.#byKey.get(key);
    return e && e.expiresAt > now ? e.instance : undefined;
  }
}
