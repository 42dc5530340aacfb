import type { HttpRequestData } from '../history/types.ts';
import { numberOption, secs, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const RETRIED = '001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors';
const ORDER_PATH = '/fapi/v1/order';
/** Halt reasons that name a breaker on order failures (refbot: consecutive-rejects). */
const BREAKER_REASON = /reject|breaker|consecutive|fail/i;

interface Failure {
  seq: number;
  t: number;
  status: number;
  code?: number;
}

/**
 * A circuit breaker counts failed orders, not failed requests.
 *
 * The venue records every order request with a digest of its parameters (`fp`, without timestamp
 * and signature): a re-send of the same order (same clientOrderId, side, quantity) has the same
 * fp. Since an instance's last accepted order, its failed order requests (an HTTP error or a lost
 * response) are grouped by fp into the orders that failed. When the bot then halts on its
 * breaker (a `halt` probe whose reason names rejections or failures), at least `tripAfter`
 * (default 3, refbot's REFBOT_HALT_AFTER_REJECTS) distinct orders must have failed: a halt after
 * fewer counted the re-sends of one order as new errors. Encodes
 * 001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors.
 * Unknown when no order was failed `tripAfter` times (re-sends never reached the threshold on their
 * own), unless a breaker halt came on fewer distinct orders anyway.
 */
export const breakerCountsIntents: Checker = {
  name: 'breaker-counts-intents',
  description: 'A breaker halt on order failures needs tripAfter distinct failed orders, not re-sends of one',
  findings: [RETRIED],
  requires: ['rest-orders', 'probes'],
  check(history, ctx): CheckResult {
    const tripAfter = numberOption(ctx.options, 'tripAfter', 3);
    const failing = new Map<string, Map<string, Failure[]>>(); // instance -> fp -> failed requests since its last accepted order
    const violations: Violation[] = [];
    const stats = { failedRequests: 0, retriedOrders: 0, ordersFailedTripAfterTimes: 0, breakerHalts: 0 };

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'target' && e.type === 'target.restart') failing.delete(inst);
      else if (e.src === 'venue' && e.type === 'http.request') {
        const d = e.data as HttpRequestData;
        if (d.method !== 'POST' || d.path !== ORDER_PATH) continue;
        if (d.status < 300 && !d.dropped) {
          failing.delete(inst);
          continue;
        }
        stats.failedRequests++;
        const byFp = failing.get(inst) ?? new Map<string, Failure[]>();
        failing.set(inst, byFp);
        const fp = d.fp ?? `seq${e.seq}`;
        const list = [...(byFp.get(fp) ?? []), { seq: e.seq, t: e.t, status: d.status, ...(d.code === undefined ? {} : { code: d.code }) }];
        byFp.set(fp, list);
        // A list only grows (a reset starts a new one), so each order passes each count once.
        if (list.length === 2) stats.retriedOrders++;
        if (list.length === tripAfter) stats.ordersFailedTripAfterTimes++;
      } else if (e.src === 'target' && e.type === 'probe' && e.data.probe === 'halt') {
        const reason = String(e.data.reason ?? '');
        if (!BREAKER_REASON.test(reason)) continue;
        stats.breakerHalts++;
        const byFp = failing.get(inst);
        failing.delete(inst); // a halt starts the breaker's count over
        if (!byFp || byFp.size === 0 || byFp.size >= tripAfter) continue;
        const requests = [...byFp.values()].flat();
        // 001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors: the breaker
        // tripped on re-sends of fewer distinct orders than it is set to count.
        const first = requests.reduce((a, b) => (a.seq < b.seq ? a : b));
        const codes = [...new Set(requests.map((r) => `${r.status}${r.code === undefined ? '' : ` ${r.code}`}`))].join(', ');
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} halted (${reason}) at ${secs(e.t)} after ${requests.length} failed order request(s) (${codes}) of only ${byFp.size} distinct order(s) ` +
            `since its last accepted one; a breaker set to ${tripAfter} counted the re-sends of one order as new errors (first failure at ${secs(first.t)})`,
          evidence: [e.seq, ...requests.map((r) => r.seq).sort((a, b) => a - b)],
        });
      }
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.ordersFailedTripAfterTimes === 0)
      return unknown(`no order failed ${tripAfter} times: re-sends never reached the breaker's threshold on their own`, stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.ordersFailedTripAfterTimes} order(s) failed ${tripAfter}+ times without a breaker halt on fewer than ${tripAfter} distinct orders`],
      stats,
    };
  },
};
