import type { HistoryEvent, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const FINDING = '003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of';
const RESYNC_RACE = '004_8a8a9a4995486b8f.txt#C-ADAPTER-02';

/** Endpoints that need no signature (public market data, server time, listenKey with the API key only). */
const UNSIGNED =
  /^\/fapi\/v1\/(ping|time|exchangeInfo|depth|trades|historicalTrades|aggTrades|klines|continuousKlines|indexPriceKlines|markPriceKlines|premiumIndex|fundingRate|fundingInfo|ticker\/.*|openInterest|listenKey)$|^\/futures\/data\//;

function isSigned(path: string): boolean {
  return !UNSIGNED.test(path);
}

/** One stretch of time during which an instance's clock and the venue's disagree beyond maxSkewMs. */
interface Window {
  instance: string;
  startT: number;
  /** Event that opened it (fault.start or clock.offset) and the fault occurrence behind it. */
  openSeq: number;
  faultId: string | undefined;
  skewMs: number;
  /** First event that told the bot its clock is off: a -1021 answer or a server-time answer. */
  known: HistoryEvent | undefined;
  rejected: number[];
  signed: number;
  hammerFlagged: boolean;
}

/**
 * The bot fails closed while its clock and the venue's disagree beyond what it may trade on.
 *
 * Encodes 003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of: the server-time
 * sync raises on a critical drift, a broad `except` swallows it and resets the offset to 0, and
 * the client goes on in a known-bad clock state instead of failing closed. Also
 * 004_8a8a9a4995486b8f.txt#C-ADAPTER-02 (impact: "order rejections"): a resync whose HTTP call
 * holds up everything else lets the requests queued behind it go out with the old offset and meet
 * -1021, beyond the bound.
 *
 * The skew is observed from outside, per instance: skew = venue clock offset (the `offsetMs` of
 * every active `venue-clock-skew` fault, from its fault.start to its fault.end) minus the bot's
 * wall-clock offset (the last `fault clock.offset` of `clock-jump`/`clock-drift`, or a clock-jump's
 * `offsetMs` when no clock.offset event was recorded for it). A skew window is a stretch where
 * |skew| > maxSkewMs. Inside a window the bot *knows* its clock is off from the first venue answer
 * that tells it: a -1021 to one of its signed requests (`venue http.request` code -1021), or a
 * successful GET /fapi/v1/time (it has measured the venue's clock). From then until the window
 * closes:
 * 1. no risk-increasing order (position.ts increasesRisk; reduce-only exits are fine) may be
 *    accepted (`venue order.new`). A bot that re-syncs to a large skew and trades on it is
 *    trading in the state the finding calls known-bad. Evidence: [order.new, the knowing event,
 *    the window's fault.start (or clock.offset)];
 * 2. at most maxRejected -1021 answers in the window: more means it kept sending signed requests
 *    with a clock it knew was bad (e.g. reset its offset to 0). Evidence: [the (maxRejected+1)-th
 *    -1021, the first -1021, the window's fault.start].
 * A skew of at most maxSkewMs opens no window: a bot that re-syncs to a small skew and trades on
 * is fine, and such a run is `unknown` (not exercised), as is one where the bot sent no signed
 * request during any window. Orders accepted inside a window before the bot could know are not
 * judged.
 *
 * Options: maxSkewMs (default 1000), maxRejected (default 3).
 */
export const clockSkewFailsClosed: Checker = {
  name: 'clock-skew-fails-closed',
  description: 'While the bot’s clock and the venue’s disagree beyond maxSkewMs, it opens no risk and stops signing with a known-bad clock',
  findings: [FINDING, RESYNC_RACE],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const maxSkewMs = numberOption(ctx.options, 'maxSkewMs', 1000);
    const maxRejected = numberOption(ctx.options, 'maxRejected', 3);
    const violations: Violation[] = [];
    const stats = { windows: 0, maxSkewMs: 0, signedInWindows: 0, rejected1021: 0, riskAccepted: 0, riskAcceptedAfterKnown: 0, exitsInWindows: 0 };

    // Pre-pass: every instance, fault.start seq by occurrence id, clock-jump occurrences that recorded clock.offset.
    const instances = new Set<string>();
    const startSeq = new Map<string, number>();
    const offsetRecordedBy = new Set<string>();
    for (const e of history) {
      if (e.instance !== undefined && e.instance !== 'all') instances.add(e.instance);
      if (e.src !== 'fault') continue;
      if (e.type === 'fault.start') startSeq.set(String(e.data.id), e.seq);
      if (e.type === 'clock.offset' && typeof e.data.by === 'string') offsetRecordedBy.add(e.data.by);
    }

    const venueSkews = new Map<string, { offsetMs: number; instance: string | undefined; seq: number }>();
    const botOffset = new Map<string, { offsetMs: number; seq: number; by: string | undefined }>();
    const open = new Map<string, Window>();
    const windows: Window[] = [];

    const skewOf = (inst: string): { skew: number; seq: number; faultId: string | undefined } => {
      let venue = 0;
      let seq = -1;
      let faultId: string | undefined;
      for (const [id, v] of venueSkews) {
        if (v.instance !== undefined && v.instance !== 'all' && v.instance !== inst) continue;
        venue += v.offsetMs;
        if (v.seq > seq) [seq, faultId] = [v.seq, id];
      }
      const bot = botOffset.get(inst);
      if (bot && Math.abs(bot.offsetMs) > 0 && bot.seq > seq) [seq, faultId] = [bot.seq, bot.by];
      return { skew: venue - (bot?.offsetMs ?? 0), seq, faultId };
    };

    const reevaluate = (e: HistoryEvent) => {
      for (const inst of instances) {
        const s = skewOf(inst);
        const w = open.get(inst);
        if (Math.abs(s.skew) > maxSkewMs) {
          if (w) {
            w.skewMs = Math.max(w.skewMs, Math.abs(s.skew));
            continue;
          }
          const nw: Window = {
            instance: inst,
            startT: e.t,
            openSeq: e.seq,
            faultId: s.faultId,
            skewMs: Math.abs(s.skew),
            known: undefined,
            rejected: [],
            signed: 0,
            hammerFlagged: false,
          };
          open.set(inst, nw);
          windows.push(nw);
        } else if (w) {
          open.delete(inst);
        }
      }
    };

    for (const e of history) {
      const inst = e.instance;
      if (e.src === 'fault') {
        const d = e.data as { id?: unknown; kind?: unknown; params?: { offsetMs?: unknown }; offsetMs?: unknown; by?: unknown };
        const id = String(d.id);
        if (e.type === 'fault.start' && d.kind === 'venue-clock-skew' && typeof d.params?.offsetMs === 'number') {
          venueSkews.set(id, { offsetMs: d.params.offsetMs, instance: inst, seq: e.seq });
        } else if (e.type === 'fault.end' && d.kind === 'venue-clock-skew') {
          venueSkews.delete(id);
        } else if (e.type === 'fault.start' && d.kind === 'clock-jump' && typeof d.params?.offsetMs === 'number' && !offsetRecordedBy.has(id)) {
          for (const i of inst === undefined || inst === 'all' ? instances : [inst]) {
            botOffset.set(i, { offsetMs: (botOffset.get(i)?.offsetMs ?? 0) + d.params.offsetMs, seq: e.seq, by: id });
          }
        } else if (e.type === 'fault.end' && d.kind === 'clock-jump' && typeof d.params?.offsetMs === 'number' && !offsetRecordedBy.has(id)) {
          for (const i of inst === undefined || inst === 'all' ? instances : [inst]) {
            botOffset.set(i, { offsetMs: (botOffset.get(i)?.offsetMs ?? 0) - d.params.offsetMs, seq: e.seq, by: id });
          }
        } else if (e.type === 'clock.offset' && inst !== undefined && typeof d.offsetMs === 'number') {
          botOffset.set(inst, { offsetMs: d.offsetMs, seq: e.seq, by: typeof d.by === 'string' ? d.by : undefined });
        } else {
          continue;
        }
        reevaluate(e);
        continue;
      }
      if (e.src !== 'venue' || inst === undefined) continue;
      const w = open.get(inst);
      if (e.type === 'http.request') {
        const d = e.data as { method?: string; path?: string; status?: number; code?: number };
        const path = String(d.path ?? '');
        if (d.code === -1021) stats.rejected1021++;
        if (!w) continue;
        if (d.code === -1021 || isSigned(path)) {
          w.signed++;
          stats.signedInWindows++;
        }
        if (d.code === -1021) {
          w.rejected.push(e.seq);
          w.known ??= e;
          if (w.rejected.length > maxRejected && !w.hammerFlagged) {
            w.hammerFlagged = true;
            violations.push({
              t: e.t,
              instance: inst,
              message:
                `${inst} kept sending with a known-bad clock: ${w.rejected.length} signed requests answered -1021 within ` +
                `${Math.round(e.t - w.startT)} ms of a ${Math.round(w.skewMs)} ms clock skew (at most ${maxRejected} allowed)`,
              evidence: [e.seq, w.rejected[0] as number, startSeq.get(w.faultId ?? '') ?? w.openSeq],
            });
          }
        } else if (path === '/fapi/v1/time' && d.status === 200) {
          w.known ??= e;
        }
      } else if (e.type === 'order.new' && w) {
        const o = e.data as unknown as OrderNewData;
        if (!increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) {
          stats.exitsInWindows++;
          continue;
        }
        stats.riskAccepted++;
        if (!w.known) continue;
        stats.riskAcceptedAfterKnown++;
        const how = w.known.data.code === -1021 ? 'the venue had answered it -1021' : 'it had read the venue’s server time';
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} had risk-increasing ${o.side} ${o.qty} ${o.symbol} (${o.type}; position ${o.positionBefore} before) accepted ` +
            `${Math.round(e.t - w.known.t)} ms after ${how}, while its clock and the venue's disagreed by ${Math.round(w.skewMs)} ms (max ${maxSkewMs} ms)`,
          evidence: [e.seq, w.known.seq, startSeq.get(w.faultId ?? '') ?? w.openSeq],
        });
      }
    }

    stats.windows = windows.length;
    stats.maxSkewMs = Math.round(Math.max(0, ...windows.map((w) => w.skewMs)));
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (windows.length === 0)
      return unknown(`the bot's and the venue's clocks never disagreed by more than ${maxSkewMs} ms: the invariant was not exercised`, stats);
    if (stats.signedInWindows === 0) {
      return unknown(`the bot sent no signed request during ${windows.length} skew window(s) beyond ${maxSkewMs} ms: nothing to judge`, stats);
    }
    const rejected = windows.reduce((n, w) => n + w.rejected.length, 0);
    return {
      valid: true,
      violations: [],
      notes: [
        `${windows.length} skew window(s) up to ${stats.maxSkewMs} ms: ${stats.signedInWindows} signed request(s), ${rejected} answered -1021 ` +
          `(at most ${maxRejected} per window allowed), no risk-increasing order accepted once the bot knew`,
      ],
      stats,
    };
  },
};
