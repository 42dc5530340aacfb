import type { HistoryEvent, WsOpenData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const SIDECAR_STALE = '000_2ae31cbfe79758d1.txt#E-M10';

/**
 * A healthy feed is left alone: while nothing is wrong, the bot opens no new WebSocket connection.
 * A staleness test that misjudges healthy data as stale (000_2ae31cbfe79758d1.txt#E-M10:
 * `_ws_is_stale` returns True whenever the WS mid age is None, which in sidecar mode it always is)
 * reconnects over and over with nothing wrong: connection churn, gaps in the data around each
 * reconnect, and load on the venue.
 *
 * Per instance, from the scenario's `scenario.ready` plus settleMs (default 3000) to the window
 * end: every venue `ws.open` of the instance is churn unless something explains it: a fault of the
 * instance active or healed within settleMs before it, or a (re)start of the process (`target.start`)
 * within settleMs before it. Evidence: [the ws.open, the previous ws.close of the instance].
 *
 * Unknown when no instance had at least quietMs (default 5000) of judged time free of faults and
 * restarts, or no instance held a connection at all (a bot without streams cannot churn).
 */
export const noReconnectChurn: Checker = {
  name: 'no-reconnect-churn',
  description: 'While the market data is healthy and no fault is active, the bot opens no new WebSocket connection (no reconnect churn)',
  findings: [SIDECAR_STALE],
  requires: ['ws-market'],
  check(history, ctx): CheckResult {
    const settleMs = numberOption(ctx.options, 'settleMs', 3000);
    const quietMs = numberOption(ctx.options, 'quietMs', 5000);
    const stats = { instances: 0, quietMs: 0, opens: 0, churn: 0 };
    const ready = history.find((e) => e.src === 'harness' && e.type === 'scenario.ready');
    const windowEnd = history.find((e) => e.src === 'harness' && e.type === 'scenario.window.end');
    if (!ready) return unknown('the targets never became ready', stats);
    const from = ready.t + settleMs;
    const to = windowEnd?.t ?? (history.at(-1) as HistoryEvent).t;

    // Per instance: times when something explains a reconnect (fault active, or healed / restarted
    // within settleMs), as intervals.
    const busy = new Map<string, [number, number][]>();
    const starts = new Map<string, HistoryEvent>();
    const mark = (inst: string, a: number, b: number) => busy.set(inst, [...(busy.get(inst) ?? []), [a, b]]);
    const connected = new Set<string>();
    const lastClose = new Map<string, HistoryEvent>();
    for (const e of history) {
      if (e.src === 'fault' && e.type === 'fault.start' && e.instance) starts.set(String((e.data as { id?: unknown }).id), e);
      else if (e.src === 'fault' && e.type === 'fault.end' && e.instance) {
        const s = starts.get(String((e.data as { id?: unknown }).id));
        mark(e.instance, s?.t ?? e.t, e.t + settleMs);
      } else if (e.src === 'target' && e.type === 'target.start' && e.instance) mark(e.instance, e.t, e.t + settleMs);
      else if (e.src === 'venue' && e.type === 'ws.open' && e.instance) connected.add(e.instance);
    }
    // Faults still active at the end of the history.
    for (const s of starts.values()) {
      const ended = history.some((e) => e.src === 'fault' && e.type === 'fault.end' && (e.data as { id?: unknown }).id === (s.data as { id?: unknown }).id);
      if (!ended && s.instance) mark(s.instance, s.t, Number.POSITIVE_INFINITY);
    }
    const explained = (inst: string, t: number) => (busy.get(inst) ?? []).some(([a, b]) => t >= a && t <= b);

    const violations: Violation[] = [];
    for (const e of history) {
      if (e.src !== 'venue' || !e.instance) continue;
      if (e.type === 'ws.close') lastClose.set(e.instance, e);
      if (e.type !== 'ws.open' || e.t < from || e.t > to) continue;
      stats.opens++;
      if (explained(e.instance, e.t)) continue;
      stats.churn++;
      const d = e.data as WsOpenData;
      const close = lastClose.get(e.instance);
      // 000_2ae31cbfe79758d1.txt#E-M10: a reconnect with nothing wrong.
      violations.push({
        t: e.t,
        instance: e.instance,
        message: `${e.instance} opened a new ${d.kind} connection (${d.path}) ${Math.round(e.t - ready.t)} ms into the run with no fault or restart to explain it${close ? `, ${Math.round(e.t - close.t)} ms after connection ${(close.data as { connId?: unknown }).connId} closed` : ''}: reconnect churn on a healthy feed`,
        evidence: [e.seq, ...(close ? [close.seq] : [])],
      });
    }
    // Judged quiet time per instance: [from, to] minus the explained intervals (approximate: sum of gaps).
    for (const inst of connected) {
      stats.instances++;
      const spans = (busy.get(inst) ?? []).map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number]).filter(([a, b]) => b > a);
      spans.sort((x, y) => x[0] - y[0]);
      let quiet = 0;
      let cursor = from;
      for (const [a, b] of spans) {
        if (a > cursor) quiet += a - cursor;
        cursor = Math.max(cursor, b);
      }
      if (to > cursor) quiet += to - cursor;
      stats.quietMs = Math.max(stats.quietMs, Math.round(quiet));
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (connected.size === 0) return unknown('the bot opened no WebSocket connection: nothing could churn', stats);
    if (stats.quietMs < quietMs) return unknown(`less than ${quietMs} ms free of faults and restarts after the settle time: not judged`, stats);
    return { valid: true, violations: [], notes: [`no unexplained reconnect over ${stats.quietMs} ms of healthy feed`], stats };
  },
};
