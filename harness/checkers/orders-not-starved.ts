import type { FaultData, HistoryEvent, HttpRequestData, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const SHARED_POOL = '004_8a8a9a4995486b8f.txt#C-MAIN-06';
const ORDER_PATH = '/fapi/v1/order';

/** A fault that makes another REST endpoint slow or failing: the contention the check is about. */
function contends(d: FaultData): boolean {
  if (d.kind !== 'rest-slow') return false;
  const path = String((d.params as { path?: unknown }).path ?? '/fapi/*');
  return path !== ORDER_PATH && !path.endsWith('/*');
}

interface Intent {
  e: HistoryEvent;
  clientOrderId: string;
  contention: HistoryEvent;
}

/**
 * Order requests are never starved by market-data requests: while another REST endpoint answers
 * slowly, an order the bot has decided to send still reaches the venue at once. A bot whose HTTP
 * client has one pooled connection (004_8a8a9a4995486b8f.txt#C-MAIN-06: pool_connections=1,
 * pool_maxsize=1) queues its orders behind the slow market-data request holding that connection.
 *
 * Evidence from the target's `intent` probe ({clientOrderId}: one line per order attempt, printed
 * as it is sent) and the venue: the order's `order.new` with that clientOrderId, or (a refused
 * order) the instance's next POST /fapi/v1/order `http.request`. Judged are the attempts made while
 * a rest-slow fault holds another endpoint (not the order endpoint, not every path), with no other
 * fault of the instance active: each must reach the venue within maxDelayMs (default 750). Evidence:
 * [the intent, the order as the venue received it (if it did), the slow endpoint's fault.start].
 *
 * Unknown when no order attempt fell inside such a window (the bot traded nothing while the other
 * endpoint was slow), or the target prints no intent probes.
 */
export const ordersNotStarved: Checker = {
  name: 'orders-not-starved',
  description: 'While another REST endpoint is slow, every order the bot sends reaches the venue within maxDelayMs (no connection starvation)',
  findings: [SHARED_POOL],
  requires: ['probes', 'rest-orders'],
  check(history, ctx): CheckResult {
    const maxDelayMs = numberOption(ctx.options, 'maxDelayMs', 750);
    const stats = { intents: 0, judged: 0, maxDelayMs: 0, starved: 0 };
    const active = new Map<string, HistoryEvent>(); // fault id -> start
    const pending: Intent[] = [];
    const violations: Violation[] = [];
    const end = history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0;

    const settle = (i: Intent, arrival: HistoryEvent | undefined) => {
      const delay = (arrival?.t ?? end) - i.e.t;
      stats.judged++;
      stats.maxDelayMs = Math.max(stats.maxDelayMs, Math.round(delay));
      if (arrival && delay <= maxDelayMs) return;
      stats.starved++;
      const path = String((i.contention.data as FaultData).params.path);
      // 004_8a8a9a4995486b8f.txt#C-MAIN-06: the order waited for the connection the slow request held.
      violations.push({
        t: i.e.t,
        instance: i.e.instance as string,
        message: arrival
          ? `${i.e.instance}'s order ${i.clientOrderId} reached the venue ${Math.round(delay)} ms after the bot sent it, while ${path} was slow (bound ${maxDelayMs} ms): starved by the slow request`
          : `${i.e.instance}'s order ${i.clientOrderId} never reached the venue while ${path} was slow`,
        evidence: [i.e.seq, ...(arrival ? [arrival.seq] : []), i.contention.seq],
      });
    };

    for (const e of history) {
      if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
        const id = String((e.data as FaultData).id);
        if (e.type === 'fault.start') active.set(id, e);
        else active.delete(id);
        continue;
      }
      if (e.instance === undefined) continue;
      if (e.src === 'target' && e.type === 'probe' && (e.data as { probe?: unknown }).probe === 'intent') {
        stats.intents++;
        const cid = (e.data as { clientOrderId?: unknown }).clientOrderId;
        if (typeof cid !== 'string') continue;
        const mine = [...active.values()].filter((f) => f.instance === undefined || f.instance === e.instance || f.instance === 'all');
        const contention = mine.find((f) => contends(f.data as FaultData));
        // Only contention: another fault (a link fault, a pause) would delay the order for its own reasons.
        if (!contention || mine.some((f) => !contends(f.data as FaultData))) continue;
        pending.push({ e, clientOrderId: cid, contention });
        continue;
      }
      if (e.src !== 'venue') continue;
      const orderNew = e.type === 'order.new' ? (e.data as OrderNewData) : undefined;
      const post = e.type === 'http.request' && (e.data as HttpRequestData).method === 'POST' && (e.data as HttpRequestData).path === ORDER_PATH;
      if (!orderNew && !post) continue;
      const i = pending.findIndex((p) => p.e.instance === e.instance && (orderNew ? p.clientOrderId === orderNew.clientOrderId : true));
      if (i < 0) continue;
      settle(pending[i] as Intent, e);
      pending.splice(i, 1);
    }
    for (const p of pending) if (end - p.e.t > maxDelayMs) settle(p, undefined);
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.intents === 0) return unknown('the target printed no intent probes: when its orders were sent is not known', stats);
    if (stats.judged === 0) return unknown('no order was sent while another REST endpoint was slow: not exercised', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.judged} order(s) sent while another endpoint was slow reached the venue within ${stats.maxDelayMs} ms`],
      stats,
    };
  },
};
