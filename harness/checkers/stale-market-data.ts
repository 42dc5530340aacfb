import type { FaultData, OrderNewData, WsOpenData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

/**
 * Stream names whose data the venue pushes on every top-of-book change; a connection subscribed to
 * one of these for the order's symbol is a live price feed while the link is healthy.
 */
const PER_TICK_STREAMS = ['@bookticker', '@depth'];

function feedsSymbol(streams: readonly string[], symbol: string): boolean {
  const sym = symbol.toLowerCase();
  return streams.some((s) => {
    const name = s.toLowerCase();
    return name.startsWith(`${sym}@`) && PER_TICK_STREAMS.some((k) => name.slice(sym.length).startsWith(k));
  });
}

/**
 * A fault cuts the market data when it says so (`impairs`, recorded by the fault driver); histories
 * from before `impairs` existed fall back to "acts on the market-ws link".
 */
function cutsMarketData(d: Partial<FaultData> & { impairs?: string[] }): boolean {
  if (Array.isArray(d.impairs)) return d.impairs.includes('market-data');
  return d.link === 'market-ws';
}

interface InstanceFeed {
  /** Open market connections: connId -> subscribed streams. */
  conns: Map<number, string[]>;
  /** Active faults on the market link (fault ids). */
  faults: Set<string>;
  /** Per symbol: time and seq of the last tick delivered while the feed was live. */
  lastFresh: Map<string, { t: number; seq: number }>;
  /** Seq of the event that last took the feed down (ws.close or fault.start), for evidence. */
  lostAt: number | undefined;
  everLive: boolean;
}

function feed(map: Map<string, InstanceFeed>, instance: string): InstanceFeed {
  let f = map.get(instance);
  if (!f) {
    f = { conns: new Map(), faults: new Set(), lastFresh: new Map(), lostAt: undefined, everLive: false };
    map.set(instance, f);
  }
  return f;
}

function live(f: InstanceFeed, symbol: string): boolean {
  if (f.faults.size > 0) return false;
  for (const streams of f.conns.values()) if (feedsSymbol(streams, symbol)) return true;
  return false;
}

/**
 * No risk-increasing order while the bot's market data is stale beyond a grace period.
 *
 * Encodes 000_2ae31cbfe79758d1.txt#S-C2: on a WebSocket disconnect the bot must mark prices
 * stale with a timestamp and stop opening risk once they are older than its max age, instead of
 * clearing them and trading on a fallback (entry) price. Staleness is observed from outside: a
 * bot's feed is live while it has an open market connection subscribed to the symbol and no
 * fault is cutting that link; the data's age at an order is the time since the last tick the
 * venue delivered over a live feed.
 *
 * Options: graceMs (default 2000): allowed age, covering the bot's own max age plus one tick and
 * one decision interval.
 */
export const staleMarketData: Checker = {
  name: 'no-risk-on-stale-market-data',
  description: 'No risk-increasing order while the bot’s market data is older than a grace period',
  findings: ['000_2ae31cbfe79758d1.txt#S-C2'],
  requires: ['ws-market'],
  check(history, ctx): CheckResult {
    const graceMs = numberOption(ctx.options, 'graceMs', 2000);
    const feeds = new Map<string, InstanceFeed>();
    const violations: Violation[] = [];
    const stats = { orders: 0, riskIncreasing: 0, staleRiskIncreasing: 0, staleWindows: 0, maxStaleMs: 0 };
    // Start time of the current outage per instance (after the feed had been live once).
    const outageStart = new Map<string, number>();

    const closeOutage = (instance: string, t: number) => {
      const start = outageStart.get(instance);
      if (start === undefined) return;
      outageStart.delete(instance);
      const len = t - start;
      stats.maxStaleMs = Math.max(stats.maxStaleMs, Math.round(len));
      if (len > graceMs) stats.staleWindows++;
    };

    // Outages are counted only inside the trading window: the bot's own shutdown is not an outage.
    let windowOpen = true;
    const openOutage = (f: InstanceFeed, instance: string, t: number) => {
      if (windowOpen && f.everLive && !outageStart.has(instance)) outageStart.set(instance, t);
    };

    for (const e of history) {
      const inst = e.instance;
      if (e.src === 'harness' && e.type === 'scenario.window.end') {
        for (const i of [...outageStart.keys()]) closeOutage(i, e.t);
        windowOpen = false;
      } else if (e.src === 'venue' && inst !== undefined && (e.type === 'ws.open' || e.type === 'ws.subscribe')) {
        const d = e.data as Partial<WsOpenData> & { streams?: string[] };
        if (e.type === 'ws.open' && d.kind !== 'market') continue;
        const f = feed(feeds, inst);
        const prev = f.conns.get(d.connId as number) ?? [];
        f.conns.set(d.connId as number, [...prev, ...(d.streams ?? [])]);
      } else if (e.src === 'venue' && inst !== undefined && e.type === 'ws.close') {
        const f = feed(feeds, inst);
        if (f.conns.delete((e.data as { connId: number }).connId) && f.conns.size === 0) {
          f.lostAt = e.seq;
          openOutage(f, inst, e.t);
        }
      } else if (e.src === 'fault' && inst !== undefined && e.type === 'fault.end') {
        // Whatever the end event says, a fault this check saw start is over.
        feeds.get(inst)?.faults.delete(String((e.data as { id?: string }).id));
      } else if (e.src === 'fault' && inst !== undefined && cutsMarketData(e.data as FaultData)) {
        const f = feed(feeds, inst);
        const id = String((e.data as { id?: string }).id);
        if (e.type === 'fault.start') {
          f.faults.add(id);
          f.lostAt = e.seq;
          openOutage(f, inst, e.t);
        } else if (e.type === 'fault.end') {
          f.faults.delete(id);
        }
      } else if (e.src === 'market' && e.type === 'tick') {
        const symbol = String((e.data as { symbol: string }).symbol);
        for (const [instance, f] of feeds) {
          if (!live(f, symbol)) continue;
          f.lastFresh.set(symbol, { t: e.t, seq: e.seq });
          f.everLive = true;
          closeOutage(instance, e.t);
        }
      } else if (e.src === 'venue' && e.type === 'order.new' && inst !== undefined) {
        stats.orders++;
        const o = e.data as unknown as OrderNewData;
        if (!increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) continue;
        stats.riskIncreasing++;
        const f = feed(feeds, inst);
        const fresh = f.lastFresh.get(o.symbol);
        const age = fresh === undefined ? Number.POSITIVE_INFINITY : e.t - fresh.t;
        if (age <= graceMs) continue;
        stats.staleRiskIncreasing++;
        const evidence = [e.seq];
        if (f.lostAt !== undefined) evidence.push(f.lostAt);
        if (fresh) evidence.push(fresh.seq);
        const ageText = Number.isFinite(age) ? `${Math.round(age)} ms stale` : 'never delivered';
        violations.push({
          t: e.t,
          instance: inst,
          message: `${inst} sent risk-increasing ${o.side} ${o.qty} ${o.symbol} (${o.type}${o.reduceOnly ? ', reduceOnly' : ''}; position ${o.positionBefore} before) while its market data was ${ageText} (grace ${graceMs} ms)`,
          evidence,
        });
      }
    }
    const end = history.at(-1)?.t ?? 0;
    for (const inst of [...outageStart.keys()]) closeOutage(inst, end);

    if (violations.length > 0) {
      return { valid: false, violations, notes: [], stats };
    }
    if (stats.riskIncreasing === 0) {
      return unknown('no risk-increasing orders were seen: nothing to judge', stats);
    }
    if (stats.staleWindows === 0) {
      return unknown(`market data was never stale beyond ${graceMs} ms after first delivery: the invariant was not exercised`, stats);
    }
    return {
      valid: true,
      violations: [],
      notes: [`${stats.riskIncreasing} risk-increasing orders, none on data older than ${graceMs} ms across ${stats.staleWindows} stale window(s)`],
      stats,
    };
  },
};
