import type { FaultData, HistoryEvent, OrderNewData } from '../history/types.ts';
import { unknown } from './compose.ts';
import type { CheckResult, Violation } from './types.ts';

/**
 * single-writer without a Redis lock to replay (a lock file, a database lock): judged from the
 * venue's orders alone. Within the trading window, an order by another instance than the last
 * writer means the write role changed hands; from then on an instance that wrote before may not
 * write again while the new writer still does: it resumed beside the writer that took over, so two
 * instances trade at once (003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older:
 * a live writer preempted by mtime-based eviction; 002_3e6ca2bf6dfde12d.txt#R8). A handover where
 * the old writer stays silent is fine, and so is one back to it once the other has stopped writing
 * for longer than handoverMs. Evidence: [the resumed writer's order, the order of the writer that
 * took over, the last fault.start before it].
 *
 * Unknown when no fault disrupted the instances (nothing tried the lock) or no order followed the
 * first disruption.
 */
export function judgeFromOrders(history: readonly HistoryEvent[], handoverMs: number): CheckResult {
  const stats = { orders: 0, ordersAfterDisruption: 0, handovers: 0, secondWriterOrders: 0 };
  const violations: Violation[] = [];
  const disruptions: HistoryEvent[] = [];
  /** instance -> its latest order.new */
  const lastOrder = new Map<string, HistoryEvent>();
  let writer: string | undefined;
  for (const e of history) {
    if (e.src === 'harness' && e.type === 'scenario.window.end') break;
    if (e.src === 'fault' && e.type === 'fault.start') {
      disruptions.push(e);
      continue;
    }
    if (e.src !== 'venue' || e.type !== 'order.new' || e.instance === undefined) continue;
    stats.orders++;
    if (disruptions.length > 0) stats.ordersAfterDisruption++;
    const inst = e.instance;
    if (writer !== undefined && writer !== inst) {
      const current = lastOrder.get(writer) as HistoryEvent;
      const wroteBefore = lastOrder.has(inst);
      if (wroteBefore && e.t - current.t <= handoverMs) {
        // The write role had passed to `writer`, which is still writing: `inst` came back beside it.
        stats.secondWriterOrders++;
        const od = e.data as unknown as OrderNewData;
        const before = disruptions.filter((d) => d.seq < e.seq).at(-1);
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} placed order ${od.orderId} (${od.side} ${od.qty} ${od.symbol}) ${Math.round(e.t - current.t)} ms after ${writer}, writing in its place, placed its own: two instances trade at once` +
            (before ? `; after ${String((before.data as FaultData).kind)} (${String((before.data as FaultData).id)})` : ''),
          evidence: [e.seq, current.seq, ...(before ? [before.seq] : [])],
        });
      } else {
        stats.handovers++;
      }
    }
    writer = inst;
    lastOrder.set(inst, e);
  }
  if (violations.length > 0) return { valid: false, violations, notes: [], stats };
  if (disruptions.length === 0) return unknown('no Redis lock to replay and no fault disrupted the instances: nothing tried the lock', stats);
  if (stats.ordersAfterDisruption === 0) return unknown('no order followed the first fault: nothing to judge', stats);
  return {
    valid: true,
    violations: [],
    notes: [
      `no Redis lock: judged from the orders; ${stats.ordersAfterDisruption} order(s) after the first fault, ${stats.handovers} handover(s), no writer resumed beside another`,
    ],
    stats,
  };
}
