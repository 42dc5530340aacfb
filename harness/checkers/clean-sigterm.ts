import { inspectedFiles } from '../faults/state-files-complete.ts';
import type { OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { fmt, increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

/** `fault process.signal`, recorded by the process-signal fault the moment it sends the signal. */
interface SignalData {
  id?: string;
  signal?: string;
  pid?: number;
  graceMs?: number;
}

interface OpenOrder {
  seq: number;
  what: string;
  symbol: string;
  side: string;
  qty: number;
  /** Algo (conditional) order that can only shrink the position: a stop that protects it. */
  protective: boolean;
}

const EPS = 1e-12;

/** Opposite-side protective stops covering `position` (closePosition or enough reduce-only qty). */
function protectedBy(orders: Iterable<OpenOrder & { closePosition?: boolean }>, symbol: string, position: number): OpenOrder | undefined {
  const side = position > 0 ? 'SELL' : 'BUY';
  for (const o of orders) {
    if (o.symbol !== symbol || !o.protective || o.side !== side) continue;
    if (o.closePosition || o.qty + EPS >= Math.abs(position)) return o;
  }
  return undefined;
}

/**
 * A stop request (SIGTERM/SIGINT) ends the bot cleanly: it takes no new risk, leaves no order
 * open, leaves no position unprotected, and exits 0 within its grace period.
 *
 * For each `fault process.signal` of an instance (the process-signal fault), up to the instance's
 * next `target exit`:
 * - no risk-increasing `venue order.new` after the signal (reduce-only exits are what a clean stop
 *   sends) [003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition];
 * - no order of the instance still open at its exit: every `order.new` filled or cancelled, every
 *   non-protective `algo.new` ended [003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition];
 * - its position at exit (`positionAfter` of its last `order.fill`) is flat, or covered by an open
 *   reduce-only/closePosition stop on the opposite side [001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no];
 * - it exits with code 0 within `graceMs` of the signal: not SIGKILLed by the fault after the grace
 *   (`fault process.grace-exceeded`), not hanging on a worker thread or a shutdown deadlock
 *   [000_2ae31cbfe79758d1.txt#S-M3, 004_8a8a9a4995486b8f.txt#C-SERV-02, #C-SERV-04, #H-SERV-05].
 * - its files are whole after the exit: every file a `state-files-complete` inspection (`fault
 *   files.inspected`, taken after the exit) found is complete, no torn JSON document and no
 *   unterminated or broken JSON line [004_8a8a9a4995486b8f.txt#C-SERV-03: writers never closed, so
 *   buffered output is cut off at exit; 004_8a8a9a4995486b8f.txt#C-MAIN-05: worker threads neither
 *   tracked nor joined, killed mid-write]. A daemon thread cut off at exit leaves no other trace:
 *   exit-within-grace alone cannot tell, the file it was writing can.
 * Evidence: the offending event first (the order, the exit, the grace-exceeded kill), then the signal.
 *
 * Unknown when no stop signal was sent mid-run, when no exit followed it, or (without a
 * violation) when the instance placed no order before the signal: there was nothing to clean up.
 *
 * Options: graceMs (default: the fault's graceMs): the longest acceptable signal-to-exit time.
 */
export const cleanSigterm: Checker = {
  name: 'clean-sigterm',
  description: 'On SIGTERM the bot takes no new risk, cancels its orders, leaves no position unprotected and exits 0 within its grace',
  findings: [
    '001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no',
    '003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition',
    '000_2ae31cbfe79758d1.txt#S-M3',
    '004_8a8a9a4995486b8f.txt#C-SERV-02',
    '004_8a8a9a4995486b8f.txt#C-SERV-04',
    '004_8a8a9a4995486b8f.txt#H-SERV-05',
    '004_8a8a9a4995486b8f.txt#C-SERV-03',
    '004_8a8a9a4995486b8f.txt#C-MAIN-05',
  ],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const violations: Violation[] = [];
    const notes: string[] = [];
    const stats = {
      signals: 0,
      judged: 0,
      ordersBeforeSignal: 0,
      ordersAfterSignal: 0,
      riskAfterSignal: 0,
      openAtExit: 0,
      unprotected: 0,
      slowExits: 0,
      maxExitMs: 0,
      filesInspected: 0,
      tornFiles: 0,
    };
    const signals = history.filter((e) => e.src === 'fault' && e.type === 'process.signal' && e.instance !== undefined);
    stats.signals = signals.length;
    if (signals.length === 0) return unknown('no stop signal was sent mid-run (process-signal fault): the invariant was not exercised', stats);

    for (const s of signals) {
      const inst = s.instance as string;
      const sd = s.data as SignalData;
      const graceMs = numberOption(ctx.options, 'graceMs', typeof sd.graceMs === 'number' ? sd.graceMs : 5000);
      const exit = history.find((e) => e.seq > s.seq && e.instance === inst && e.src === 'target' && e.type === 'target.exit');
      if (!exit) {
        notes.push(`${inst}: no exit followed the ${sd.signal} at seq ${s.seq}; not judged`);
        continue;
      }
      const killed = history.find(
        (e) =>
          e.seq > s.seq &&
          e.seq < exit.seq &&
          e.instance === inst &&
          e.src === 'fault' &&
          e.type === 'process.grace-exceeded' &&
          (e.data as SignalData).id === sd.id,
      );

      // The instance's orders and position up to its exit.
      const open = new Map<string, OpenOrder & { closePosition?: boolean }>();
      const positions = new Map<string, { qty: number; seq: number }>();
      let before = 0;
      for (const e of history) {
        if (e.seq >= exit.seq) break;
        if (e.instance !== inst || e.src !== 'venue') continue;
        const d = e.data as Record<string, unknown>;
        if (e.type === 'order.new') {
          const od = d as unknown as OrderNewData;
          if (e.seq < s.seq) before++;
          else {
            stats.ordersAfterSignal++;
            // FIX-CHECK 003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition: stop means no new risk.
            if (increasesRisk(Number(od.positionBefore), od.side, Number(od.qty), Boolean(od.reduceOnly))) {
              stats.riskAfterSignal++;
              violations.push({
                t: e.t,
                instance: inst,
                message: `${inst} opened risk ${Math.round(e.t - s.t)} ms after ${sd.signal}: ${od.side} ${od.qty} ${od.symbol} ${od.type} (position ${fmt(Number(od.positionBefore))} before)`,
                evidence: [e.seq, s.seq],
              });
            }
          }
          open.set(`o${od.orderId}`, {
            seq: e.seq,
            what: `${od.type} ${od.side} ${od.qty} ${od.symbol} (order ${od.orderId}, ${od.clientOrderId})`,
            symbol: od.symbol,
            side: od.side,
            qty: Number(od.qty),
            protective: false,
          });
        } else if (e.type === 'order.fill') {
          if (d.status === 'FILLED') open.delete(`o${d.orderId}`);
          positions.set(String(d.symbol), { qty: Number(d.positionAfter), seq: e.seq });
        } else if (e.type === 'order.cancel') {
          open.delete(`o${d.orderId}`);
        } else if (e.type === 'algo.new') {
          const protective = Boolean(d.reduceOnly) || Boolean(d.closePosition);
          open.set(`a${d.algoId}`, {
            seq: e.seq,
            what: `algo ${d.type} ${d.side} ${d.quantity ?? ''} ${d.symbol} (algoId ${d.algoId})`,
            symbol: String(d.symbol),
            side: String(d.side),
            qty: Number(d.quantity ?? 0),
            protective,
            closePosition: Boolean(d.closePosition),
          });
        } else if (e.type === 'algo.end' || e.type === 'algo.trigger') {
          open.delete(`a${d.algoId}`);
        }
      }
      stats.ordersBeforeSignal += before;
      stats.judged++;

      // FIX-CHECK 000_2ae31cbfe79758d1.txt#S-M3, 004_8a8a9a4995486b8f.txt#C-SERV-02 (#C-SERV-04,
      // #H-SERV-05): the process must exit by itself, with 0, within the grace; a worker thread
      // without a stop condition or a shutdown deadlock shows as a kill after the grace.
      const ed = exit.data as { code?: number | null; signal?: string | null };
      const exitMs = exit.t - s.t;
      stats.maxExitMs = Math.max(stats.maxExitMs, Math.round(exitMs));
      if (killed || exitMs > graceMs || ed.signal === 'SIGKILL') {
        stats.slowExits++;
        violations.push({
          t: (killed ?? exit).t,
          instance: inst,
          message: `${inst} did not exit within ${graceMs} ms of ${sd.signal}: ${killed ? `still running after ${graceMs} ms, SIGKILLed` : `exited after ${Math.round(exitMs)} ms (code ${ed.code}, signal ${ed.signal})`}`,
          evidence: killed ? [killed.seq, exit.seq, s.seq] : [exit.seq, s.seq],
        });
      } else if (ed.code !== 0) {
        violations.push({
          t: exit.t,
          instance: inst,
          message: `${inst} exited with code ${ed.code} (signal ${ed.signal}) ${Math.round(exitMs)} ms after ${sd.signal}`,
          evidence: [exit.seq, s.seq],
        });
      }

      // FIX-CHECK 003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition:
      // the stop path cancels open orders, whatever state the bot was in. Protective stops may stay.
      for (const o of open.values()) {
        if (o.protective) continue;
        stats.openAtExit++;
        violations.push({ t: exit.t, instance: inst, message: `${inst} exited after ${sd.signal} leaving ${o.what} open`, evidence: [o.seq, exit.seq, s.seq] });
      }

      // FIX-CHECK 004_8a8a9a4995486b8f.txt#C-SERV-03, #C-MAIN-05: what the bot wrote is whole once it has exited.
      const restart = history.find((e) => e.seq > exit.seq && e.instance === inst && e.src === 'target' && e.type === 'target.start');
      for (const e of history) {
        if (e.seq <= exit.seq || (restart && e.seq > restart.seq)) continue;
        if (e.instance !== inst || e.src !== 'fault' || e.type !== 'files.inspected') continue;
        const { existing, torn } = inspectedFiles(e.data);
        stats.filesInspected += existing;
        for (const f of torn) {
          stats.tornFiles++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst}'s ${f.file} is not whole after its exit on ${sd.signal}: ${f.problem ?? 'incomplete'} (a writer cut off at exit)`,
            evidence: [e.seq, exit.seq, s.seq],
          });
        }
      }

      // FIX-CHECK 001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no: at exit the
      // position is closed, or protected by a resting stop.
      for (const [symbol, p] of positions) {
        if (Math.abs(p.qty) <= EPS || protectedBy(open.values(), symbol, p.qty)) continue;
        stats.unprotected++;
        violations.push({
          t: exit.t,
          instance: inst,
          message: `${inst} exited after ${sd.signal} with position ${fmt(p.qty)} ${symbol} neither closed nor protected by a stop order`,
          evidence: [exit.seq, p.seq, s.seq],
        });
      }
    }

    if (violations.length > 0) return { valid: false, violations, notes, stats };
    if (stats.judged === 0) return unknown(`no exit followed any of the ${stats.signals} stop signal(s)`, stats);
    if (stats.ordersBeforeSignal === 0) return unknown('the bot placed no order before the stop signal: there was nothing to clean up', stats);
    return {
      valid: true,
      violations: [],
      notes: [
        ...notes,
        `${stats.judged} stop signal(s) after ${stats.ordersBeforeSignal} order(s); exits within ${stats.maxExitMs} ms, ${stats.ordersAfterSignal} order(s) after the signal, none opening risk, nothing left open or unprotected${stats.filesInspected > 0 ? `, ${stats.filesInspected} file(s) whole after the exit` : ''}`,
      ],
      stats,
    };
  },
};
