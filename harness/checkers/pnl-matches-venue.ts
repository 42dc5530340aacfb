import type { OrderFillData } from '../venue/engine/order-events.ts';
import { numberOption, unknown } from './compose.ts';
import { instanceSymbol, OrderActivity, symbolValue } from './order-activity.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const FINDING = '004_8a8a9a4995486b8f.txt#H-PORT-01';

interface Ledger {
  /** Sum of the venue's realizedPnl over the instance's fills in this symbol. */
  realized: number;
  /** Fills that realized PnL, by the side of the position they closed. */
  closes: number;
  shortCloses: number;
  /** The last fill that realized PnL. */
  lastCloseSeq?: number;
}

function fmt(n: number): string {
  return String(Number(n.toFixed(8)));
}

/**
 * The realized PnL the bot reports matches the venue's, at quiet points.
 *
 * Encodes 004_8a8a9a4995486b8f.txt#H-PORT-01 (PnL calculation error for shorts: the close of a
 * short booked with the long formula). The bot states its cumulative realized PnL in
 * `{"probe":"pnl","symbol","realized"}` lines; the venue's is the sum of `realizedPnl` over the
 * instance's `order.fill` events in that symbol (gross of commission, as Binance's `rp`). A probe is
 * judged only at a quiet point: none of the instance's orders is working and its last order event
 * is at least `settleMs` old. A judged probe more than `tolerance` USD away from the venue's figure
 * is a violation, reported once per divergence. Evidence: [pnl probe, the last fill that realized
 * PnL].
 *
 * Unknown when the target emits no pnl probes, or when no fill realized any PnL before a judged
 * probe (nothing closed: nothing to compare).
 *
 * Options: settleMs (default 500), tolerance (default 0.01 USD).
 */
export const pnlMatchesVenue: Checker = {
  name: 'pnl-matches-venue',
  description: 'The realized PnL the bot reports matches the venue’s realized PnL of its fills at quiet points',
  findings: [FINDING],
  requires: ['probes', 'rest-orders'],
  check(history, ctx): CheckResult {
    const settleMs = numberOption(ctx.options, 'settleMs', 500);
    const tolerance = numberOption(ctx.options, 'tolerance', 0.01);
    const violations: Violation[] = [];
    const stats = { probes: 0, judged: 0, notQuiet: 0, closes: 0, shortCloses: 0, mismatches: 0, divergences: 0 };
    const ledgers = new Map<string, Ledger>();
    const activity = new OrderActivity();
    const episodes = new Map<string, { bot: number; venue: number }>();

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      const orderKey = activity.track(e);
      if (orderKey !== undefined) {
        let l = ledgers.get(orderKey);
        if (!l) {
          l = { realized: 0, closes: 0, shortCloses: 0 };
          ledgers.set(orderKey, l);
        }
        if (e.type === 'order.fill') {
          const f = e.data as unknown as OrderFillData;
          const pnl = Number(f.realizedPnl);
          if (Number.isFinite(pnl) && pnl !== 0) {
            l.realized += pnl;
            l.closes++;
            stats.closes++;
            if (f.side === 'BUY') {
              l.shortCloses++; // a BUY that realizes PnL closes a short
              stats.shortCloses++;
            }
            l.lastCloseSeq = e.seq;
          }
        }
        continue;
      }
      if (e.src !== 'target' || e.type !== 'probe' || e.data.probe !== 'pnl') continue;
      stats.probes++;
      const probe = symbolValue(e.data, 'realized');
      if (!probe) continue;
      const { symbol, value: bot } = probe;
      const key = instanceSymbol(inst, symbol);
      const l = ledgers.get(key);
      if (!l || l.closes === 0) continue;
      if (!activity.quiet(key, e.t, settleMs)) {
        stats.notQuiet++;
        continue;
      }
      stats.judged++;
      if (Math.abs(bot - l.realized) <= tolerance) {
        episodes.delete(key);
        continue;
      }
      stats.mismatches++;
      const prev = episodes.get(key);
      if (prev && Math.abs(prev.bot - bot) <= tolerance && Math.abs(prev.venue - l.realized) <= tolerance) continue;
      episodes.set(key, { bot, venue: l.realized });
      stats.divergences++;
      // 004_8a8a9a4995486b8f.txt#H-PORT-01: the bot's realized PnL is not the venue's (a sign error on shorts).
      violations.push({
        t: e.t,
        instance: inst,
        message:
          `${inst} reports a realized ${symbol} PnL of ${fmt(bot)} USD but its fills realized ${fmt(l.realized)} USD at the venue ` +
          `(off by ${fmt(bot - l.realized)}; ${l.closes} closing fill(s), ${l.shortCloses} of them closing a short)`,
        evidence: [e.seq, ...(l.lastCloseSeq !== undefined ? [l.lastCloseSeq] : [])],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.probes === 0) return unknown('the target emitted no pnl probes: its realized PnL is not observable', stats);
    if (stats.judged === 0) return unknown('no pnl probe at a quiet point after a fill that realized PnL: nothing to compare', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.judged} pnl probe(s) at quiet points matched the venue (${stats.closes} closing fills, ${stats.shortCloses} on shorts)`],
      stats,
    };
  },
};
