import type { HistoryEvent, OrderNewData, WsCloseData, WsOpenData } from '../history/types.ts';
import { booleanOption, numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import { OPEN_ORDERS_PATH, POSITION_PATHS } from './private-reads.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const RECONNECT_FINDING = '003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but';
const OPEN_ORDERS_FINDING = '003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via';
const NO_RECONNECT_FINDING = '000_2ae31cbfe79758d1.txt#S-M4';
const SILENT_FINDING = '003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts';
const START_FINDING = '003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current';

/**
 * Fault kinds that cut an instance's user data while its socket stays open (`impairs` user-data, no
 * close): nothing tells the bot; only its own liveness check on that connection can notice.
 */
const SILENT_CUTS = new Set(['link-stall']);

/** REST reads that return the account's positions (Binance USD-M). */

/** One user-stream gap of an instance, from the event that ended the stream until it is judged. */
interface Gap {
  startSeq: number;
  startT: number;
  how: string;
  /** A silent cut (socket open, no bytes): the bot has silentReactionMs to notice it. */
  silent: boolean;
  /** The process (re)started: its stream must be up before its first risk; no re-fetch is asked. */
  startup?: boolean;
  /** The first user-stream connection opened after the gap started. */
  reopenSeq?: number;
  /** The first successful positions / open-orders read after that reopen. */
  positionsSeq?: number;
  openOrdersSeq?: number;
}

/**
 * After a user-stream gap, the bot re-fetches its private state before it opens risk again.
 *
 * Encodes 000_2ae31cbfe79758d1.txt#S-M4 (no automatic reconnection: the bot must reconnect and not
 * trade while its private data source is down),
 * 003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but
 * (a private reconnect flips the state to connected without rehydrating positions and orders) and,
 * with `openOrders` (default true), 003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via
 * (the recovery re-fetches positions but skips open orders). Observed from outside on the venue:
 * a gap starts when a user-data connection of the instance closes (`ws.close` kind user) or its
 * listen key expires (`listenKey.expired`), or when a fault silently cuts its user data while the socket
 * stays open (`fault.start` of a SILENT_CUTS kind, such as link-stall on user-ws, impairing user-data
 * while the instance has a user connection open): 003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts
 * (liveness judged on aggregate traffic, so live market data masks a dead private stream; the bot
 * must notice on its own and stop opening risk until its private state is fresh). The first
 * risk-increasing `order.new` of the instance
 * after the gap (more than `reactionMs` after it started) must come after
 * - a new user-data connection (`ws.open` kind user): no risk while the stream is down, and
 * - after that reopen, a successful GET of positions (positionRisk v2/v3 or account v2/v3) and,
 *   with `openOrders`, of `/fapi/v1/openOrders` (`http.request` status 200).
 * Reduce-only and reducing orders are always allowed. Evidence: [order.new, gap start, reopen?,
 * the re-fetch that was there?].
 *
 * With `atStart` (default true) a process start (`target target.start`) is a gap too: a bot starts
 * with no user-data stream, and its first risk-increasing order must come after one is open
 * (003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current: the private
 * stream is started only for symbols with a position, so a bot that starts flat opens its first
 * position blind). Only the open stream is asked there (no re-fetch: it has just read its state),
 * and no reaction time is granted (the bot knows it has no stream yet). Evidence [order.new,
 * target.start].
 *
 * Unknown when no user-stream gap happened (not exercised) or no risk-increasing order followed
 * any gap (nothing to judge).
 *
 * Options: atStart (default true); openOrders (default true); reactionMs (default 250): orders this soon after the gap
 * started were decided before the bot could have noticed it and are not judged; silentReactionMs
 * (default 8000): the same for a silent cut, which a bot notices through its own ping (unanswered
 * within about 1.5 ping intervals).
 */
export const privateStateRefetched: Checker = {
  name: 'private-state-refetched',
  description: 'After a user-stream gap, positions (and open orders) are re-fetched before the next risk-increasing order',
  findings: [RECONNECT_FINDING, OPEN_ORDERS_FINDING, NO_RECONNECT_FINDING, SILENT_FINDING, START_FINDING],
  requires: ['ws-user', 'rest-orders'],
  check(history, ctx): CheckResult {
    const wantOpenOrders = booleanOption(ctx.options, 'openOrders', true);
    const atStart = booleanOption(ctx.options, 'atStart', true);
    const reactionMs = numberOption(ctx.options, 'reactionMs', 250);
    const silentReactionMs = numberOption(ctx.options, 'silentReactionMs', 8000);
    const violations: Violation[] = [];
    const stats = {
      gaps: 0,
      silentGaps: 0,
      startGaps: 0,
      judged: 0,
      unjudged: 0,
      tradedWhileDown: 0,
      tradedBeforeStream: 0,
      noPositions: 0,
      noOpenOrders: 0,
      refetched: 0,
      streamFirst: 0,
    };
    const userConns = new Map<string, Set<number>>();
    const gaps = new Map<string, Gap>();

    const startGap = (e: HistoryEvent, inst: string, how: string, silent = false, startup = false) => {
      const open = gaps.get(inst);
      // Still down (an expired key's socket closing, say): the same outage, judged from its start.
      if (open && open.reopenSeq === undefined) return;
      // Down again after a reopen: what was re-fetched before is stale again.
      if (open) stats.unjudged++;
      gaps.set(inst, { startSeq: e.seq, startT: e.t, how, silent, startup });
      if (startup) stats.startGaps++;
      else stats.gaps++;
      if (silent) stats.silentGaps++;
    };

    for (const e of history) {
      const inst = e.instance;
      if (atStart && e.src === 'target' && e.type === 'target.start' && inst !== undefined) {
        startGap(e, inst, 'process start', false, true);
        continue;
      }
      if (e.src === 'fault' && e.type === 'fault.start' && inst !== undefined) {
        const d = e.data as { kind?: string; link?: string; impairs?: string[] };
        // A silent cut takes effect only on an open user connection.
        if (SILENT_CUTS.has(String(d.kind)) && d.impairs?.includes('user-data') && (userConns.get(inst)?.size ?? 0) > 0)
          startGap(e, inst, `${d.kind} on ${d.link ?? 'user data'} (socket open, no bytes)`, true);
        continue;
      }
      if (e.src !== 'venue' || inst === undefined) continue;
      const conns = userConns.get(inst) ?? new Set<number>();
      userConns.set(inst, conns);
      const gap = gaps.get(inst);
      if (e.type === 'ws.open' && (e.data as WsOpenData).kind === 'user') {
        conns.add((e.data as WsOpenData).connId);
        if (gap && gap.reopenSeq === undefined) gap.reopenSeq = e.seq;
      } else if (e.type === 'ws.close' && (e.data as WsCloseData).kind === 'user') {
        // The stream is down only when the instance's last user connection closes: a replacement
        // opened just before the old one's close (a reconnect racing the close) keeps it up.
        if (conns.delete((e.data as WsCloseData).connId) && conns.size === 0) startGap(e, inst, 'user-data connection closed');
      } else if (e.type === 'listenKey.expired') {
        startGap(e, inst, 'listen key expired');
      } else if (e.type === 'http.request' && gap?.reopenSeq !== undefined) {
        const d = e.data as { method?: string; path?: string; status?: number };
        if (d.method !== 'GET' || d.status !== 200) continue;
        if (gap.positionsSeq === undefined && POSITION_PATHS.has(String(d.path))) gap.positionsSeq = e.seq;
        if (gap.openOrdersSeq === undefined && d.path === OPEN_ORDERS_PATH) gap.openOrdersSeq = e.seq;
      } else if (e.type === 'order.new' && gap) {
        const o = e.data as unknown as OrderNewData;
        if (!increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) continue;
        if (!gap.startup && e.t - gap.startT <= (gap.silent ? silentReactionMs : reactionMs)) continue;
        gaps.delete(inst);
        if (!gap.startup) stats.judged++;
        const what = `risk-increasing ${o.side} ${o.qty} ${o.symbol} (position ${o.positionBefore} before)`;
        const since = `${Math.round(e.t - gap.startT)} ms after its ${gap.how}`;
        if (gap.startup) {
          if (gap.reopenSeq !== undefined) {
            stats.streamFirst++;
            continue;
          }
          // 003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current: blind from the start.
          stats.tradedBeforeStream++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} sent ${what} ${since} before opening any user-data stream: the fill and position updates of its first trade had nowhere to go [${START_FINDING}]`,
            evidence: [e.seq, gap.startSeq],
          });
          continue;
        }
        if (gap.reopenSeq === undefined && gap.silent) {
          // 003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts: the dead user
          // stream went unnoticed (no close, no reconnect) and the bot kept opening risk.
          stats.tradedWhileDown++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} sent ${what} ${since}, never having noticed that its user-data stream was dead (no reconnect since): fills and position changes were being missed [${SILENT_FINDING}]`,
            evidence: [e.seq, gap.startSeq],
          });
          continue;
        }
        if (gap.reopenSeq === undefined) {
          // 000_2ae31cbfe79758d1.txt#S-M4 (no reconnect, trading while the data source is down) and
          // 003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but: trading blind.
          stats.tradedWhileDown++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} sent ${what} ${since}, with no user-data stream reopened since: fills and position changes were being missed [${NO_RECONNECT_FINDING}, ${RECONNECT_FINDING}]`,
            evidence: [e.seq, gap.startSeq],
          });
          continue;
        }
        if (gap.positionsSeq === undefined) {
          // 003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but: connected, not rehydrated.
          stats.noPositions++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} sent ${what} ${since} without re-fetching its positions after the user stream reconnected [${RECONNECT_FINDING}]`,
            evidence: [e.seq, gap.startSeq, gap.reopenSeq],
          });
          continue;
        }
        if (wantOpenOrders && gap.openOrdersSeq === undefined) {
          // 003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via: positions only.
          stats.noOpenOrders++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst} sent ${what} ${since}; after the reconnect it re-fetched positions but not its open orders [${OPEN_ORDERS_FINDING}]`,
            evidence: [e.seq, gap.startSeq, gap.reopenSeq, gap.positionsSeq],
          });
          continue;
        }
        stats.refetched++;
      }
    }
    stats.unjudged += gaps.size;

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.gaps === 0 && stats.streamFirst === 0)
      return unknown('no user-data stream gap (close, listen key expiry or silent cut) happened: the invariant was not exercised', stats);
    if (stats.judged === 0 && stats.streamFirst === 0)
      return unknown(`no risk-increasing order followed any of the ${stats.gaps} user-stream gap(s): nothing to judge`, stats);
    return {
      valid: true,
      violations: [],
      notes: [
        `${stats.judged} of ${stats.gaps} user-stream gap(s) were followed by risk; each time positions${wantOpenOrders ? ' and open orders' : ''} were re-fetched first`,
        ...(stats.streamFirst > 0 ? [`${stats.streamFirst} start(s): the user-data stream was open before the first risk-increasing order`] : []),
      ],
      stats,
    };
  },
};
