import type { OrderNewData } from '../history/types.ts';
import type { OrderFillData } from '../venue/engine/order-events.ts';
import { numberOption, unknown } from './compose.ts';
import { instanceSymbol, OrderActivity, symbolValue } from './order-activity.ts';
import { fmt } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const FINDINGS = [
  '004_8a8a9a4995486b8f.txt#C-PORT-03',
  '004_8a8a9a4995486b8f.txt#H-ENG-04',
  '004_8a8a9a4995486b8f.txt#C-FSM-02',
  '003_a7371304fd1017c8.txt#realtime-callback-api-mismatch-callers-use-on-order',
  '000_2ae31cbfe79758d1.txt#E-H7',
  '004_8a8a9a4995486b8f.txt#C-ENG-02',
  '004_8a8a9a4995486b8f.txt#C-PORT-04',
  '004_8a8a9a4995486b8f.txt#H-FSM-03',
] as const;

/** The venue's position of one instance in one symbol, and what it knows about its orders. */
interface VenueBook {
  position: number;
  /** The order.new / order.fill that set `position`. */
  seq: number;
  /** The last partial fill, the likeliest cause of a divergence (for the message). */
  lastPartial?: { seq: number; orderId: number; cumQty: string };
}

/** The previous judged probe of an instance and symbol: one violation per divergence episode. */
interface Episode {
  bot: number;
  venue: number;
}

/**
 * The position the bot trades on matches the venue's, at quiet points.
 *
 * Encodes the "positions must match the venue" findings of the fills family:
 * 004_8a8a9a4995486b8f.txt#C-PORT-03 (a partial fill committed as the full order),
 * 004_8a8a9a4995486b8f.txt#H-ENG-04 (portfolio and engine keep two position truths),
 * 004_8a8a9a4995486b8f.txt#C-FSM-02 (a duplicated fill applied twice),
 * 003_a7371304fd1017c8.txt#realtime-callback-api-mismatch-callers-use-on-order (private stream
 * updates never applied), 000_2ae31cbfe79758d1.txt#E-H7 (dropped fills never backfilled) and
 * 004_8a8a9a4995486b8f.txt#C-ENG-02 (a position skipped when fills change the position map while
 * it is iterated), 004_8a8a9a4995486b8f.txt#C-PORT-04 (the position state machine has no state for
 * a partly exited position, so a re-entry after a partial exit books the wrong size) and
 * 004_8a8a9a4995486b8f.txt#H-FSM-03 (a fill and a cancel of one symbol handled at once race on its
 * state).
 * Whatever the cause, the outside view is the same: the bot's own position diverges from the
 * venue's. The bot states the position it plans on in `{"probe":"position","symbol","position"}`
 * lines; the venue's position is the last `order.fill` positionAfter (or `order.new`
 * positionBefore) of the instance in that symbol. A probe is judged only at a quiet point: none of
 * the instance's orders is still working and its last order event is at least `settleMs` old, so
 * the user stream has had time to deliver everything. A judged probe more than `tolerance` away
 * from the venue's position is a violation, reported once per divergence (until the two agree or
 * either changes). Evidence: [position probe, the venue event that set the venue's position, the
 * last partial fill before it when there was one].
 *
 * Unknown when the target emits no position probes, when no probe came at a quiet point after the
 * instance's first order, or when nothing was filled (nothing to compare).
 *
 * Options: settleMs (default 500), tolerance (default 1e-9, in base-asset quantity).
 */
export const positionMatchesVenue: Checker = {
  name: 'position-matches-venue',
  description: 'The position the bot trades on matches the venue’s position at quiet points',
  findings: FINDINGS,
  requires: ['probes', 'rest-orders'],
  check(history, ctx): CheckResult {
    const settleMs = numberOption(ctx.options, 'settleMs', 500);
    const tolerance = numberOption(ctx.options, 'tolerance', 1e-9);
    const violations: Violation[] = [];
    const stats = { probes: 0, judged: 0, notQuiet: 0, beforeFirstOrder: 0, fills: 0, partialFills: 0, mismatches: 0, divergences: 0 };
    const books = new Map<string, VenueBook>();
    const activity = new OrderActivity();
    const episodes = new Map<string, Episode>();

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      const orderKey = activity.track(e);
      if (orderKey !== undefined) {
        const b = books.get(orderKey);
        if (e.type === 'order.new') {
          // positionBefore is the venue's position at that moment, whatever the bot believes.
          const o = e.data as unknown as OrderNewData;
          books.set(orderKey, { ...b, position: Number(o.positionBefore), seq: e.seq });
        } else if (b && e.type === 'order.fill') {
          const f = e.data as unknown as OrderFillData;
          stats.fills++;
          b.position = Number(f.positionAfter);
          b.seq = e.seq;
          if (f.status !== 'FILLED') {
            stats.partialFills++;
            b.lastPartial = { seq: e.seq, orderId: f.orderId, cumQty: f.cumQty };
          }
        }
        continue;
      }
      if (e.src !== 'target' || e.type !== 'probe' || e.data.probe !== 'position') continue;
      stats.probes++;
      const probe = symbolValue(e.data, 'position');
      if (!probe) continue;
      const { symbol, value: bot } = probe;
      const key = instanceSymbol(inst, symbol);
      const b = books.get(key);
      if (!b) {
        stats.beforeFirstOrder++;
        continue;
      }
      if (!activity.quiet(key, e.t, settleMs)) {
        stats.notQuiet++;
        continue;
      }
      stats.judged++;
      const prev = episodes.get(key);
      if (Math.abs(bot - b.position) <= tolerance) {
        episodes.delete(key);
        continue;
      }
      stats.mismatches++;
      if (prev && prev.bot === bot && prev.venue === b.position) continue;
      episodes.set(key, { bot, venue: b.position });
      stats.divergences++;
      const evidence = [e.seq, b.seq];
      let cause = '';
      if (b.lastPartial && b.lastPartial.seq <= b.seq) {
        if (b.lastPartial.seq !== b.seq) evidence.push(b.lastPartial.seq);
        cause = `; last partial fill: order ${b.lastPartial.orderId} at cumQty ${b.lastPartial.cumQty}`;
      }
      violations.push({
        t: e.t,
        instance: inst,
        message:
          `${inst} trades on a ${symbol} position of ${fmt(bot)} but the venue holds ${fmt(b.position)} ` +
          `(off by ${fmt(bot - b.position)}; no order working, last order event ${Math.round(activity.sinceLastEvent(key, e.t))} ms earlier)${cause}`,
        evidence,
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.probes === 0) return unknown('the target emitted no position probes: its view of its position is not observable', stats);
    if (stats.fills === 0) return unknown('nothing was filled: no position to compare', stats);
    if (stats.judged === 0) return unknown(`none of the ${stats.probes} position probe(s) came at a quiet point after an order: nothing to judge`, stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.judged} position probe(s) at quiet points matched the venue (${stats.fills} fills, ${stats.partialFills} partial)`],
      stats,
    };
  },
};
