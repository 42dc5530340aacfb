import type { FaultData, MarketCorruptData, OrderNewData, WsOpenData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { instanceSymbol } from './order-activity.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

interface Mark {
  seq: number;
  t: number;
}

interface PendingTick extends Mark {
  symbol: string;
  /** Instances whose feed was live for the symbol at the tick, and whether their copy was corrupted. */
  corrupted: Map<string, boolean>;
}

function feedsSymbol(streams: readonly string[], symbol: string): boolean {
  const sym = symbol.toLowerCase();
  return streams.some((s) => s.toLowerCase().startsWith(`${sym}@bookticker`) || s.toLowerCase().startsWith(`${sym}@depth`));
}

/**
 * No risk-increasing order on a degenerate price.
 *
 * The venue records every market message whose prices it corrupted for an instance ("0", negative,
 * "NaN", an absurd scale: `venue market.corrupt`, fault market-data-corrupt). From that message on
 * the instance's price for the symbol is degenerate until a sane one reaches it: a market tick
 * delivered over a live feed (an open market connection subscribed to the symbol's bookTicker or
 * depth, no fault cutting market data) whose copy for that instance was not corrupted. A
 * risk-increasing order (one that grows or flips the position; reduce-only exits are always allowed)
 * placed while the price is degenerate, within `windowMs` (default 5000) of the last degenerate
 * message, was sized or gated on garbage. Encodes:
 * - 000_2ae31cbfe79758d1.txt#S-M1: a close of 0 must not drive an order through Inf/NaN;
 * - 000_2ae31cbfe79758d1.txt#S-M6: a zero price must not be divided by and acted on;
 * - 004_8a8a9a4995486b8f.txt#M-ADAPTER-01: tickers used without validation must not be traded on.
 * Unknown when no degenerate price reached a bot (the fault never took effect) or no
 * risk-increasing order followed one.
 */
export const noOrdersOnDegenerateData: Checker = {
  name: 'no-orders-on-degenerate-data',
  description: 'No risk-increasing order while the bot’s last price for the symbol was degenerate (0, negative, NaN, absurd)',
  findings: ['000_2ae31cbfe79758d1.txt#S-M1', '000_2ae31cbfe79758d1.txt#S-M6', '004_8a8a9a4995486b8f.txt#M-ADAPTER-01'],
  requires: ['ws-market', 'rest-orders'],
  check(history, ctx): CheckResult {
    const windowMs = numberOption(ctx.options, 'windowMs', 5000);
    const conns = new Map<string, Map<number, string[]>>();
    const cutting = new Map<string, Set<string>>();
    const pending = new Map<string, PendingTick>(); // symbol -> last tick
    const lastBad = new Map<string, Mark & { values: unknown }>();
    const lastSane = new Map<string, Mark>();
    const violations: Violation[] = [];
    const stats = { corruptDeliveries: 0, orders: 0, riskIncreasing: 0, judged: 0, onDegenerate: 0 };

    const live = (instance: string, symbol: string): boolean => {
      if ((cutting.get(instance)?.size ?? 0) > 0) return false;
      for (const streams of conns.get(instance)?.values() ?? []) if (feedsSymbol(streams, symbol)) return true;
      return false;
    };
    // The last tick's copy reached the instance uncorrupted: that is its newest sane price.
    const resolve = (instance: string, symbol: string) => {
      const p = pending.get(symbol);
      if (p && p.corrupted.get(instance) === false) lastSane.set(instanceSymbol(instance, symbol), { seq: p.seq, t: p.t });
    };

    for (const e of history) {
      const inst = e.instance;
      if (e.src === 'market' && e.type === 'tick') {
        const symbol = String((e.data as { symbol: string }).symbol);
        for (const i of conns.keys()) resolve(i, symbol);
        const corrupted = new Map<string, boolean>();
        for (const i of conns.keys()) if (live(i, symbol)) corrupted.set(i, false);
        pending.set(symbol, { seq: e.seq, t: e.t, symbol, corrupted });
      } else if (inst === undefined) {
      } else if (e.src === 'venue' && (e.type === 'ws.open' || e.type === 'ws.subscribe')) {
        const d = e.data as Partial<WsOpenData>;
        if (e.type === 'ws.open' && d.kind !== 'market') continue;
        const m = conns.get(inst) ?? new Map<number, string[]>();
        conns.set(inst, m);
        m.set(d.connId as number, [...(m.get(d.connId as number) ?? []), ...(d.streams ?? [])]);
      } else if (e.src === 'venue' && e.type === 'ws.close') {
        conns.get(inst)?.delete((e.data as { connId: number }).connId);
      } else if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
        const d = e.data as Partial<FaultData> & { impairs?: string[] };
        const set = cutting.get(inst) ?? new Set<string>();
        cutting.set(inst, set);
        if (e.type === 'fault.end') set.delete(String(d.id));
        else if (Array.isArray(d.impairs) ? d.impairs.includes('market-data') : d.link === 'market-ws') set.add(String(d.id));
      } else if (e.src === 'venue' && e.type === 'market.corrupt') {
        stats.corruptDeliveries++;
        const d = e.data as Partial<MarketCorruptData>;
        for (const symbol of String(d.symbol ?? '').split(',')) {
          lastBad.set(instanceSymbol(inst, symbol), { seq: e.seq, t: e.t, values: d.values });
          const p = pending.get(symbol);
          if (p?.corrupted.has(inst)) p.corrupted.set(inst, true);
        }
      } else if (e.src === 'venue' && e.type === 'order.new') {
        stats.orders++;
        const o = e.data as unknown as OrderNewData;
        if (!increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) continue;
        stats.riskIncreasing++;
        const k = instanceSymbol(inst, o.symbol);
        const bad = lastBad.get(k);
        if (bad === undefined) continue;
        stats.judged++;
        resolve(inst, o.symbol);
        const sane = lastSane.get(k);
        // 000_2ae31cbfe79758d1.txt#S-M1 / #S-M6, 004_8a8a9a4995486b8f.txt#M-ADAPTER-01: the newest price
        // this bot was sent is degenerate, and recent: the order was sized or gated on it.
        if ((sane !== undefined && sane.seq > bad.seq) || e.t - bad.t > windowMs) continue;
        stats.onDegenerate++;
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} sent risk-increasing ${o.side} ${o.qty} ${o.symbol} (${o.type}; position ${o.positionBefore} before) ` +
            `${Math.round(e.t - bad.t)} ms after it was sent the degenerate price ${JSON.stringify(bad.values)}, with no sane price since`,
          evidence: sane ? [e.seq, bad.seq, sane.seq] : [e.seq, bad.seq],
        });
      }
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.corruptDeliveries === 0) return unknown('no degenerate price reached a bot: the fault never took effect', stats);
    if (stats.judged === 0) return unknown('no risk-increasing order followed a degenerate price: nothing to judge', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.judged} risk-increasing order(s) after ${stats.corruptDeliveries} degenerate price message(s), each on a sane price`],
      stats,
    };
  },
};
