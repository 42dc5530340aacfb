import type { HistoryEvent, HttpRequestData, OrderNewData, WsOpenData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const FINDING = '001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars';
const SNAPSHOT_PATH = '/fapi/v1/depth';

/** `<symbol>@depth`, `@depth@100ms` ...: a diff-depth stream (not the partial `@depth5`/`@depth10`/`@depth20` ones). */
function depthSymbol(stream: string): string | undefined {
  const m = /^([a-z0-9]+)@depth(@\d+ms)?$/.exec(stream.toLowerCase());
  return m ? (m[1] as string).toUpperCase() : undefined;
}

/** Why the instance's book is out of sync, and since which event. */
interface Unsynced {
  seq: number;
  why: string;
  /** From when the bot could know (the first event after a gap, the close, the open); orders later than this + graceMs are judged. */
  knowableAt: number | undefined;
  /** Seq of the first depth event delivered after a gap (evidence). */
  knowableSeq?: number;
  exercised: boolean;
}

interface Book {
  /** Open market connections with diff-depth streams: connId -> symbols. */
  conns: Map<number, Set<string>>;
  symbols: Set<string>;
  unsynced: Unsynced | undefined;
  /** A depth-gap in effect: events still to be dropped, the fault's seq. */
  gap: { left: number; faultSeq: number; firstDropSeq?: number } | undefined;
  connects: number;
  /** An exercised out-of-sync period (gap, reconnect, close) was closed by a snapshot. */
  rebuilt: boolean;
}

function book(books: Map<string, Book>, instance: string): Book {
  let b = books.get(instance);
  if (!b) {
    b = { conns: new Map(), symbols: new Set(), unsynced: undefined, gap: undefined, connects: 0, rebuilt: false };
    books.set(instance, b);
  }
  return b;
}

function subscribed(b: Book, symbol: string): boolean {
  for (const s of b.conns.values()) if (s.has(symbol)) return true;
  return false;
}

/**
 * A bot that keeps a local order book from the diff-depth stream opens no risk on it while it is
 * out of sync: after every (re)connect of its depth stream and after every sequence gap it rebuilds
 * the book from a REST snapshot before it opens risk again.
 *
 * Encodes 001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars ("No data gap detection
 * between bars": the bot must not open risk on gappy data). Observed from outside, per instance
 * with a market connection subscribed to `<symbol>@depth[@Nms]`:
 * - a new depth connection (`venue ws.open`) starts a new sequence: the book is out of sync from
 *   the open until a successful `GET /fapi/v1/depth` (`venue http.request`, status 200) after it;
 * - the last depth connection closing (`venue ws.close`) leaves the book out of sync (nothing that
 *   changes meanwhile reaches it) until a reconnect and a snapshot after it;
 * - a `depth-gap` fault (`fault fault.start`, params.count) drops the instance's next `count` depth
 *   events: the venue pushes one per market `tick` of the symbol while the instance is subscribed,
 *   so the gap takes effect at the next tick, and the tick after the dropped ones delivers the first
 *   event whose pu is not the last u the bot applied. From then on the bot can know; its book is
 *   out of sync until a snapshot fetched after the first dropped event.
 * A risk-increasing `venue order.new` of the instance in the book's symbol more than `graceMs`
 * (default 1000) after the bot could know, while the book is out of sync, is a violation. Evidence:
 * [order.new, the event that put the book out of sync, the first event after the gap?].
 *
 * Unknown when no instance subscribed to a diff-depth stream (the target keeps no depth book), when
 * no gap or reconnect took effect after a first sync (not exercised), or when no risk-increasing
 * order followed one (nothing to judge). The snapshot path carries no symbol in the history; a bot
 * is taken to book one symbol.
 */
export const depthBookInSync: Checker = {
  name: 'depth-book-in-sync',
  description: 'No risk-increasing order on a diff-depth book that missed events (sequence gap, reconnect) before it was rebuilt from a snapshot',
  findings: [FINDING],
  requires: ['ws-market', 'rest-orders'],
  check(history, ctx): CheckResult {
    const graceMs = numberOption(ctx.options, 'graceMs', 1000);
    const books = new Map<string, Book>();
    const violations: Violation[] = [];
    const stats = { depthConnects: 0, gaps: 0, reconnects: 0, snapshots: 0, resynced: 0, orders: 0, judged: 0, onUnsynced: 0 };
    // Instances where risk was judged during or after a gap / reconnect that took effect.
    const exercisedJudged = new Set<string>();

    const outOfSync = (b: Book, e: HistoryEvent, why: string, knowableAt: number | undefined, exercised: boolean) => {
      if (b.unsynced) {
        b.unsynced.exercised ||= exercised;
        if (b.unsynced.knowableAt === undefined) b.unsynced.knowableAt = knowableAt;
        return;
      }
      b.unsynced = { seq: e.seq, why, knowableAt, exercised };
    };

    for (const e of history) {
      const inst = e.instance;
      if (e.src === 'market' && e.type === 'tick') {
        const symbol = String((e.data as { symbol: string }).symbol);
        for (const b of books.values()) {
          if (!b.gap || !subscribed(b, symbol)) continue;
          if (b.gap.left > 0) {
            // This tick's depth event is dropped for the instance: the book misses it from here.
            b.gap.left--;
            if (b.gap.firstDropSeq === undefined) {
              b.gap.firstDropSeq = e.seq;
              stats.gaps++;
              outOfSync(b, e, `depth-gap dropped its depth events from ${e.seq}`, undefined, true);
            }
            continue;
          }
          // The first event after the dropped ones: its pu is not the last u applied.
          if (b.unsynced && b.unsynced.knowableAt === undefined) {
            b.unsynced.knowableAt = e.t;
            b.unsynced.knowableSeq = e.seq;
          }
          b.gap = undefined;
        }
        continue;
      }
      if (inst === undefined) continue;
      if (e.src === 'fault' && e.type === 'fault.start' && (e.data as { kind?: string }).kind === 'depth-gap') {
        const b = book(books, inst);
        const count = Number((e.data as { params?: { count?: unknown } }).params?.count ?? 1);
        if (b.conns.size > 0) b.gap = { left: (b.gap?.left ?? 0) + (Number.isFinite(count) && count > 0 ? count : 1), faultSeq: e.seq };
        continue;
      }
      if (e.src !== 'venue') continue;
      if (e.type === 'ws.open' || e.type === 'ws.subscribe') {
        const d = e.data as Partial<WsOpenData>;
        if (e.type === 'ws.open' && d.kind !== 'market') continue;
        const syms = (d.streams ?? []).map(depthSymbol).filter((s): s is string => s !== undefined);
        if (syms.length === 0) continue;
        const b = book(books, inst);
        const set = b.conns.get(d.connId as number) ?? new Set<string>();
        for (const s of syms) {
          set.add(s);
          b.symbols.add(s);
        }
        b.conns.set(d.connId as number, set);
        b.connects++;
        stats.depthConnects++;
        const reconnect = b.connects > 1;
        if (reconnect) stats.reconnects++;
        // A new connection is a new sequence: whatever the book held, a snapshot after this open is needed.
        if (b.unsynced) b.unsynced = { ...b.unsynced, knowableAt: b.unsynced.knowableAt ?? e.t };
        else b.unsynced = { seq: e.seq, why: reconnect ? 'the depth stream reconnected' : 'the depth stream connected', knowableAt: e.t, exercised: reconnect };
      } else if (e.type === 'ws.close') {
        const b = books.get(inst);
        const connId = (e.data as { connId: number }).connId;
        if (!b?.conns.delete(connId) || b.conns.size > 0) continue;
        outOfSync(b, e, 'the depth stream closed', e.t, true);
      } else if (e.type === 'http.request') {
        const d = e.data as Partial<HttpRequestData>;
        const b = books.get(inst);
        if (!b || d.method !== 'GET' || d.path !== SNAPSHOT_PATH || d.status !== 200) continue;
        stats.snapshots++;
        // Only a snapshot taken while connected, after the book went out of sync (and after the gap's
        // first lost event), rebuilds it.
        if (b.unsynced && b.conns.size > 0 && !(b.gap && b.gap.left > 0)) {
          if (b.unsynced.exercised) {
            stats.resynced++;
            b.rebuilt = true;
          }
          b.unsynced = undefined;
        }
      } else if (e.type === 'order.new') {
        const b = books.get(inst);
        const o = e.data as unknown as OrderNewData;
        if (!b?.symbols.has(o.symbol)) continue;
        stats.orders++;
        if (!increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) continue;
        const u = b.unsynced;
        if (u === undefined) {
          if (b.rebuilt) {
            stats.judged++;
            exercisedJudged.add(inst);
          }
          continue;
        }
        if (u.knowableAt === undefined || e.t - u.knowableAt <= graceMs) continue; // the bot could not know yet
        stats.judged++;
        if (u.exercised) exercisedJudged.add(inst);
        // 001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars: risk opened on a book that missed events.
        stats.onUnsynced++;
        const evidence = [e.seq, u.seq];
        if (u.knowableSeq !== undefined) evidence.push(u.knowableSeq);
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} sent risk-increasing ${o.side} ${o.qty} ${o.symbol} (position ${o.positionBefore} before) ` +
            `${Math.round(e.t - u.knowableAt)} ms after its depth book went out of sync (${u.why}), ` +
            `with no GET ${SNAPSHOT_PATH} since to rebuild it [${FINDING}]`,
          evidence,
        });
      }
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.depthConnects === 0) return unknown('no instance subscribed to a diff-depth stream: the target keeps no depth book', stats);
    if (stats.gaps + stats.reconnects === 0) return unknown('no depth gap or depth-stream reconnect took effect: the invariant was not exercised', stats);
    if (exercisedJudged.size === 0) return unknown('no risk-increasing order followed a depth gap or reconnect: nothing to judge', stats);
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.gaps} depth gap(s) and ${stats.reconnects} reconnect(s); the book was rebuilt from a snapshot (${stats.resynced}) before risk each time`,
      ],
      stats,
    };
  },
};
