import type { HistoryEvent, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { fmt, signedQty } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

/** `fault order.ambiguous`: an order that executed on the venue while the bot never got its answer. */
interface AmbiguousData {
  how?: string;
  orderId?: number;
  clientOrderId?: string;
  symbol?: string;
}

/** The bot's optional `{"probe":"intent","intent":n,"clientOrderId":…,"attempt":k}` line. */
interface IntentProbe {
  intent: number;
  attempt: number;
  seq: number;
}

/**
 * The order parameters a re-send of the same intent repeats. reduceOnly is part of them: an exit
 * (SELL Q reduceOnly) followed by the next phase's entry (SELL Q) is two intents, not one twice.
 */
function sameOrder(a: OrderNewData, b: OrderNewData): boolean {
  return (
    a.symbol === b.symbol &&
    a.side === b.side &&
    a.type === b.type &&
    Number(a.qty) === Number(b.qty) &&
    Boolean(a.reduceOnly) === Boolean(b.reduceOnly) &&
    (a.price === undefined || b.price === undefined || Number(a.price) === Number(b.price))
  );
}

/**
 * No intent is executed twice after an ambiguous outcome.
 *
 * Encodes 003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry:
 * `create_order()` is retried automatically without a deterministic client order id, so a
 * timeout or transport failure after the venue executed the order places it again. Observed from
 * outside: for each `fault order.ambiguous` (the order executed, its answer was lost or was a
 * 5xx), the instance's next `venue order.new` events within `windowMs` are judged against the
 * ambiguous order (its own `order.new`, found by orderId):
 * - the same clientOrderId accepted again is a duplicate execution (the venue refuses a duplicate
 *   id only among open orders; a filled MARKET order is not open). A re-send it rejected
 *   (`order.reject`, e.g. -4116) is fine;
 * - a different clientOrderId with the same symbol, side, type, quantity, reduceOnly (and price)
 *   is a duplicate unless an order of the instance on the opposite side of that symbol came in
 *   between. A re-send repeats the order at once; the bot's next intent either trades the other
 *   way or differs in size or reduceOnly. A duplicate leaves the position beyond the intended
 *   target (`positionBefore` + the order), which the message shows.
 * Evidence: [duplicate order.new, order.ambiguous, original order.new] (plus the bot's intent
 * probe of the duplicate when it names the same intent as the original).
 *
 * Unknown when no ambiguous outcome happened (not exercised) or no order followed any within
 * `windowMs` (nothing to judge; a bot that stops trading is another check's business).
 *
 * Options: windowMs (default 5000): how long after an ambiguous outcome a re-send is looked for.
 */
export const oneOrderPerIntent: Checker = {
  name: 'one-order-per-intent',
  description: 'No trading intent is executed twice after an ambiguous order outcome (lost ack, unknown status)',
  findings: ['003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry'],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const windowMs = numberOption(ctx.options, 'windowMs', 5000);
    const violations: Violation[] = [];
    const stats = { orders: 0, ambiguous: 0, judged: 0, laterOrders: 0, duplicates: 0, sameIdResends: 0, rejectedResends: 0 };
    const notes: string[] = [];

    // Per instance: its order.new events in history order, and its intent probes by clientOrderId.
    const orders = new Map<string, HistoryEvent[]>();
    const intents = new Map<string, Map<string, IntentProbe>>();
    const ambiguous: HistoryEvent[] = [];
    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'venue' && e.type === 'order.new') {
        stats.orders++;
        const list = orders.get(inst) ?? [];
        list.push(e);
        orders.set(inst, list);
      } else if (e.src === 'fault' && e.type === 'order.ambiguous') {
        ambiguous.push(e);
      } else if (e.src === 'target' && e.type === 'probe' && e.data.probe === 'intent') {
        const d = e.data as { intent?: unknown; clientOrderId?: unknown; attempt?: unknown };
        if (typeof d.clientOrderId !== 'string' || typeof d.intent !== 'number') continue;
        const m = intents.get(inst) ?? new Map<string, IntentProbe>();
        intents.set(inst, m);
        m.set(d.clientOrderId, { intent: d.intent, attempt: typeof d.attempt === 'number' ? d.attempt : 0, seq: e.seq });
      }
    }
    stats.ambiguous = ambiguous.length;
    if (ambiguous.length === 0) return unknown('no order had an ambiguous outcome: the invariant was not exercised', stats);

    const flagged = new Set<number>();
    for (const a of ambiguous) {
      const inst = a.instance as string;
      const ad = a.data as AmbiguousData;
      const mine = orders.get(inst) ?? [];
      // The ambiguous order's own order.new (recorded just before the fault saw it accepted).
      let orig: HistoryEvent | undefined;
      for (const o of mine) {
        if (o.seq > a.seq) break;
        const od = o.data as unknown as OrderNewData;
        if (ad.orderId !== undefined ? od.orderId === ad.orderId : od.clientOrderId === ad.clientOrderId) orig = o;
      }
      const od = orig?.data as unknown as OrderNewData | undefined;
      const symbol = od?.symbol ?? ad.symbol;
      if (!od) notes.push(`order.ambiguous #${a.seq}: its order.new is not in the history; only re-use of clientOrderId ${ad.clientOrderId} is judged`);

      let judged = false;
      let separated = false;
      for (const e of history) {
        if (e.seq <= a.seq || e.instance !== inst) continue;
        if (e.t - a.t > windowMs) break;
        if (e.src === 'venue' && e.type === 'order.reject') {
          judged = true;
          if ((e.data as { clientOrderId?: string }).clientOrderId === ad.clientOrderId) stats.rejectedResends++;
          continue;
        }
        if (e.src !== 'venue' || e.type !== 'order.new') continue;
        const ed = e.data as unknown as OrderNewData;
        if (ed.symbol !== symbol) continue;
        judged = true;
        stats.laterOrders++;
        const sameId = ed.clientOrderId === ad.clientOrderId;
        const dup = sameId || (od !== undefined && !separated && sameOrder(od, ed));
        if (od && ed.side !== od.side) separated = true;
        if (!dup || flagged.has(e.seq)) continue;
        flagged.add(e.seq);
        stats.duplicates++;
        if (sameId) stats.sameIdResends++;
        const evidence = [e.seq, a.seq];
        if (orig) evidence.push(orig.seq);
        const probes = intents.get(inst);
        const pDup = probes?.get(ed.clientOrderId);
        const pOrig = ad.clientOrderId === undefined ? undefined : probes?.get(ad.clientOrderId);
        let probeText = '';
        if (pDup && pOrig && pDup.intent === pOrig.intent) {
          evidence.push(pDup.seq);
          probeText = `; the bot's intent probe agrees: intent ${pDup.intent}, attempt ${pDup.attempt}`;
        }
        let posText = '';
        if (od) {
          const target = Number(od.positionBefore) + signedQty(od.side, Number(od.qty));
          const after = Number(ed.positionBefore) + signedQty(ed.side, Number(ed.qty));
          posText = `; position ${fmt(Number(ed.positionBefore))} -> ${fmt(after)}, intended ${fmt(target)}`;
        }
        const what = od ? `${od.side} ${od.qty} ${od.symbol} ${od.type}${od.reduceOnly ? ' reduceOnly' : ''}` : `order ${ad.clientOrderId}`;
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} executed ${what} twice: order ${ed.orderId} (${sameId ? 'same' : 'new'} clientOrderId ${ed.clientOrderId}) ` +
            `${Math.round(e.t - a.t)} ms after order ${ad.orderId} (${ad.clientOrderId}) had an ambiguous outcome (${ad.how ?? 'unknown'})${posText}${probeText}`,
          evidence,
        });
      }
      if (judged) stats.judged++;
    }

    if (violations.length > 0) return { valid: false, violations, notes, stats };
    if (stats.judged === 0) {
      return unknown(`no order followed any of the ${stats.ambiguous} ambiguous outcome(s) within ${windowMs} ms: nothing to judge`, stats);
    }
    return {
      valid: true,
      violations: [],
      notes: [
        ...notes,
        `${stats.judged} of ${stats.ambiguous} ambiguous outcome(s) were followed by ${stats.laterOrders} order(s) within ${windowMs} ms; none executed the intent again`,
      ],
      stats,
    };
  },
};
