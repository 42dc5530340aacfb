import type { ForeignOrderData } from '../faults/foreign-order.ts';
import type { OutputLineData, OutputScanData } from '../faults/target-output-scan.ts';
import type { HistoryEvent, OrderNewData } from '../history/types.ts';
import type { OrderFillData } from '../venue/engine/order-events.ts';
import { numberOption, unknown } from './compose.ts';
import { instanceSymbol, OrderActivity, symbolValue } from './order-activity.ts';
import { fmt } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

export const DRIFT_FINDING = '004_8a8a9a4995486b8f.txt#H-PORT-04';

/** A windowed output scan: when it started, its result, and the lines it matched. */
interface Scan {
  start?: HistoryEvent;
  event?: HistoryEvent;
  lines: OutputLineData[];
}

/** The bot's last judged position probe of an instance and symbol, and its own fills since. */
interface Last {
  probe: HistoryEvent;
  position: number;
  ownSince: number;
}

/**
 * A change of the bot's books that its own trades do not explain is logged, with its amount.
 *
 * Encodes 004_8a8a9a4995486b8f.txt#H-PORT-04 (budget drift auto-correction: "silent correction
 * masks root cause", "budget leaks continue undetected"; solution: audit logging before the
 * correction). Adopting the venue's number is right; doing it without a word hides the leak, the
 * operator's manual trade or the liquidation that caused it.
 *
 * The bot's view: its `{"probe":"position","symbol","position"}` lines, judged at quiet points (no
 * order of the instance working, its last order event settleMs old, as position-matches-venue
 * does). Its own trades: the venue's `order.fill` events of orders the instance placed, not those
 * of a foreign order (`fault foreign.order`), each worth the change of the venue's position it
 * made. Between two consecutive quiet probes of an instance and symbol, the change of the bot's
 * position minus its own fills' is a correction when larger than `tolerance`. Each correction must
 * appear in a windowed output scan of the instance that covers it (`target-output-scan` with grep
 * and durationMs, started before the probe, scanned after): a matching line naming the
 * correction's amount as a plain decimal number of its own (0.004 or -0.004; not the tail of
 * 60010.0042). The scan's grep is the
 * scenario's statement of what a correction line looks like. Evidence: [the probe that shows the
 * corrected position, the probe before it, the foreign order or fault.start that moved the
 * position when there was one, the output.scan].
 *
 * Unknown when the target emits no position probe, when no correction happened (nothing changed
 * the books from outside), or when no windowed scan with a grep covered a correction.
 *
 * Options: settleMs (default 500), tolerance (default 1e-9, base-asset quantity).
 */
export const correctionsLogged: Checker = {
  name: 'corrections-logged',
  description: 'A change of the bot’s position that its own fills do not explain (drift, a manual trade) is logged with its amount',
  findings: [DRIFT_FINDING],
  requires: ['probes', 'rest-orders'],
  check(history, ctx): CheckResult {
    const settleMs = numberOption(ctx.options, 'settleMs', 500);
    const tolerance = numberOption(ctx.options, 'tolerance', 1e-9);
    const stats = { probes: 0, judged: 0, ownFills: 0, foreignFills: 0, corrections: 0, covered: 0, silent: 0 };
    const activity = new OrderActivity();
    const venuePos = new Map<string, number>();
    // Foreign orders are recorded once the venue has answered, after its own order events: collect them first.
    const foreignIds = new Set<number>();
    for (const e of history) {
      const id = e.src === 'fault' && e.type === 'foreign.order' ? (e.data as unknown as ForeignOrderData).orderId : undefined;
      if (id !== undefined) foreignIds.add(id);
    }
    const causes: HistoryEvent[] = [];
    const last = new Map<string, Last>();
    const scans = new Map<string, Scan>();
    const scanOf = (id: string): Scan => {
      let s = scans.get(id);
      if (!s) {
        s = { lines: [] };
        scans.set(id, s);
      }
      return s;
    };
    const corrections: {
      key: string;
      instance: string;
      symbol: string;
      amount: number;
      own: number;
      p2: HistoryEvent;
      p1: HistoryEvent;
      cause?: HistoryEvent;
    }[] = [];

    for (const e of history) {
      if (e.src === 'fault') {
        const id = String((e.data as { id?: unknown }).id);
        if (e.type === 'foreign.order') causes.push(e);
        else if (e.type === 'fault.start' && e.data.kind === 'target-output-scan') scanOf(id).start = e;
        else if (e.type === 'fault.start') causes.push(e);
        else if (e.type === 'output.scan') {
          const sd = e.data as unknown as OutputScanData;
          if (sd.windowMs !== undefined && sd.grep !== undefined) scanOf(id).event = e;
        } else if (e.type === 'output.line') scanOf(id).lines.push(e.data as unknown as OutputLineData);
        continue;
      }
      const inst = e.instance;
      if (inst === undefined) continue;
      const key = activity.track(e);
      if (key !== undefined) {
        if (e.type === 'order.new') {
          venuePos.set(key, Number((e.data as unknown as OrderNewData).positionBefore));
        } else if (e.type === 'order.fill') {
          const f = e.data as unknown as OrderFillData;
          const delta = Number(f.positionAfter) - (venuePos.get(key) ?? 0);
          venuePos.set(key, Number(f.positionAfter));
          if (foreignIds.has(f.orderId)) stats.foreignFills++;
          else {
            stats.ownFills++;
            const l = last.get(key);
            if (l) l.ownSince += delta;
          }
        }
        continue;
      }
      if (e.src !== 'target' || e.type !== 'probe' || e.data.probe !== 'position') continue;
      stats.probes++;
      const probe = symbolValue(e.data, 'position');
      if (!probe) continue;
      const { symbol, value: bot } = probe;
      const k = instanceSymbol(inst, symbol);
      if (!activity.quiet(k, e.t, settleMs)) continue;
      stats.judged++;
      const prev = last.get(k);
      last.set(k, { probe: e, position: bot, ownSince: 0 });
      if (!prev) continue;
      const amount = bot - prev.position - prev.ownSince;
      if (Math.abs(amount) <= tolerance) continue;
      stats.corrections++;
      // The likeliest cause: a foreign order in between, else the last fault that started in between.
      const between = causes.filter((c) => c.seq < e.seq && c.seq > prev.probe.seq && (c.instance === undefined || c.instance === inst));
      const cause = between.filter((c) => c.type === 'foreign.order').at(-1) ?? between.at(-1);
      corrections.push({ key: k, instance: inst, symbol, amount, own: prev.ownSince, p2: e, p1: prev.probe, ...(cause ? { cause } : {}) });
    }

    if (stats.probes === 0) return unknown('the target emitted no position probe: its books cannot be observed', stats);
    if (corrections.length === 0) return unknown('no change of the bot’s position beyond its own fills: nothing was corrected', stats);
    const usable = [...scans.values()].filter((s): s is Scan & { start: HistoryEvent; event: HistoryEvent } => !!s.start && !!s.event);
    const violations: Violation[] = [];
    for (const c of corrections) {
      const scan = usable.find((s) => s.start.instance === c.instance && s.start.t <= c.p2.t && s.event.t >= c.p2.t);
      if (!scan) continue;
      stats.covered++;
      const amount = fmt(Math.abs(c.amount));
      // The amount as a number of its own: not the tail of a price (60010.0042) nor the head of a longer one.
      const named = new RegExp(`(?<![\\d.])${amount.replaceAll('.', '\\.')}(?!\\d)`);
      if (scan.lines.some((l) => named.test(l.text))) continue;
      stats.silent++;
      const grep = (scan.event.data as unknown as OutputScanData).grep;
      // 004_8a8a9a4995486b8f.txt#H-PORT-04: the books were corrected without an audit line.
      violations.push({
        t: c.p2.t,
        instance: c.instance,
        message:
          `${c.instance}'s ${c.symbol} position went from ${fmt(Number(c.p1.data.position))} to ${fmt(Number(c.p2.data.position))}, ` +
          `${fmt(c.amount)} beyond its own fills (${fmt(c.own)}), and no output line matching /${grep}/ names the amount ${amount}: a silent correction`,
        evidence: [c.p2.seq, c.p1.seq, ...(c.cause ? [c.cause.seq] : []), scan.event.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.covered === 0) return unknown('no windowed output scan with a grep (target-output-scan durationMs) covered a correction', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.corrections} correction(s) of the bot’s position beyond its own fills; each covered one (${stats.covered}) was logged with its amount`],
      stats,
    };
  },
};
