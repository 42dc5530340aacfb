/**
 * `<symbol>@depth` (and its @0ms/@100ms/@500ms speeds): Binance USD-M diff-depth events with
 * U (first update id), u (final update id) and pu (the previous event's u), so a client can detect
 * a gap by pu !== the last u it applied. The simulated book is its top level: an event carries the
 * new top bid/ask and zero quantity for a top level that moved away.
 */
import type { BookTop } from '../../../market/price-path.ts';
import { fixed } from '../../engine/decimal.ts';
import type { DialectContext } from './endpoint.ts';
import type { WsConn, WsHub } from './ws-hub.ts';

const SPEEDS = ['', '@0ms', '@100ms', '@500ms'];

export class DepthStreams {
  readonly #last = new Map<string, { u: number; top: BookTop }>();
  /** Instance -> how many of its next depth events to drop (a sequence gap). */
  readonly #drop = new Map<string, number>();

  dropNext(instance: string, count: number): void {
    this.#drop.set(instance, (this.#drop.get(instance) ?? 0) + count);
  }

  /** Call after the tick's book id was assigned (bookIds holds the new u). */
  push(ctx: DialectContext, hub: WsHub, symbol: string, top: BookTop): void {
    const u = ctx.bookIds.get(symbol) ?? 0;
    const prev = this.#last.get(symbol);
    this.#last.set(symbol, { u, top });
    const lower = symbol.toLowerCase();
    if (!SPEEDS.some((speed) => hub.subscribers(`${lower}@depth${speed}`))) return;
    const d = ctx.engine.decimals(symbol);
    const level = (p: number, q: number) => [fixed(p, d.price), fixed(q, d.qty)];
    const b = [level(top.bid, top.bidQty)];
    const a = [level(top.ask, top.askQty)];
    if (prev && prev.top.bid !== top.bid) b.push(level(prev.top.bid, 0));
    if (prev && prev.top.ask !== top.ask) a.push(level(prev.top.ask, 0));
    const now = ctx.engine.now();
    const payload = { e: 'depthUpdate', E: now, T: now, s: symbol, U: u, u, pu: prev?.u ?? u - 1, b, a };
    let raw: string | undefined;
    const dropping = new Set<string>();
    const done: Array<ReadonlySet<WsConn>> = [];
    for (const speed of SPEEDS) {
      const key = `${lower}@depth${speed}`;
      const subscribers = hub.subscribers(key);
      if (!subscribers) continue;
      for (const conn of subscribers) {
        // A connection subscribed to several speeds gets the event once.
        if (done.some((set) => set.has(conn))) continue;
        const left = this.#drop.get(conn.instance) ?? 0;
        if (left > 0) {
          dropping.add(conn.instance);
          continue;
        }
        raw ??= JSON.stringify(payload);
        hub.send(conn, conn.streams.get(key) as string, payload, raw);
      }
      done.push(subscribers);
    }
    // One event per instance is dropped per tick, whatever its number of connections.
    for (const instance of dropping) this.#drop.set(instance, (this.#drop.get(instance) ?? 1) - 1);
  }
}
