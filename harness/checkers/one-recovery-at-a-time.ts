import type { HistoryEvent, WsCloseData, WsOpenData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const RECOVERY_RACE = '004_8a8a9a4995486b8f.txt#H-ADAPTER-01';

interface Conn {
  open: HistoryEvent;
  kind: 'market' | 'user';
  streams: Set<string>;
  /** The link fault of the instance this connection was opened after (a recovery), if any. */
  after?: HistoryEvent;
  /** Reported once. */
  flagged: boolean;
}

/** Two connections carry the same data: both user streams, or market connections sharing a stream. */
function duplicates(a: Conn, b: Conn): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'user') return true;
  for (const s of a.streams) if (b.streams.has(s)) return true;
  return false;
}

/**
 * One connection recovery at a time: after a link fault, the bot replaces a lost WebSocket with
 * one new connection, never with several raced ones. A recovery routine whose re-entry guard is a
 * check-then-set without a lock (004_8a8a9a4995486b8f.txt#H-ADAPTER-01: a TOCTOU race in the
 * recursion guard) runs twice when two callers see the failure at once, and each run opens its own
 * connection: from outside, two connections of one instance carrying the same data (two user
 * streams, or two market connections subscribed to a common stream) are open together for longer
 * than a hand-over takes. Judged from the venue's `ws.open` / `ws.close` records; an overlap of
 * at most overlapMs (default 2000) is a hand-over (new one up before the old one is closed), not a
 * duplicate. Only connections opened after a link fault of the instance (recoveries) are compared:
 * a connection from before a silent stall may stay open at the venue long after the bot gave up on
 * it, and that is not a raced recovery. One violation per duplicated connection. Evidence: [the
 * newer connection's ws.open, the older one's ws.open, the link fault.start the newer one followed].
 *
 * Unknown when no fault cut a link of an instance and the instance then reconnected (no recovery
 * to judge).
 */
export const oneRecoveryAtATime: Checker = {
  name: 'one-recovery-at-a-time',
  description: 'After a link fault the bot recovers each stream with one connection: no duplicated connections from raced recoveries',
  findings: [RECOVERY_RACE],
  requires: ['ws-market'],
  check(history, ctx): CheckResult {
    const overlapMs = numberOption(ctx.options, 'overlapMs', 2000);
    const open = new Map<string, Map<number, Conn>>();
    const lastLinkFault = new Map<string, HistoryEvent>();
    const violations: Violation[] = [];
    const stats = { opens: 0, recoveries: 0, duplicates: 0 };
    const end = history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0;

    const judge = (inst: string, now: number) => {
      const conns = [...(open.get(inst)?.values() ?? [])];
      for (const newer of conns) {
        if (newer.flagged || newer.after === undefined) continue;
        const older = conns.find((c) => c !== newer && c.after !== undefined && c.open.seq < newer.open.seq && duplicates(c, newer));
        if (!older || now - newer.open.t <= overlapMs) continue;
        newer.flagged = true;
        stats.duplicates++;
        const fault = newer.after;
        const what =
          newer.kind === 'user' ? 'user-data streams' : `market connections sharing ${[...newer.streams].filter((s) => older.streams.has(s)).join(', ')}`;
        // 004_8a8a9a4995486b8f.txt#H-ADAPTER-01: two recoveries raced, each opened its own connection.
        violations.push({
          t: newer.open.t,
          instance: inst,
          message: `${inst} held two ${what} at once for more than ${overlapMs} ms (connections ${(older.open.data as WsOpenData).connId} and ${(newer.open.data as WsOpenData).connId}): a duplicated recovery [${RECOVERY_RACE}]`,
          evidence: [newer.open.seq, older.open.seq, fault.seq],
        });
      }
    };

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'fault' && e.type === 'fault.start' && typeof (e.data as { link?: unknown }).link === 'string') {
        const link = String((e.data as { link?: unknown }).link);
        if (link === 'market-ws' || link === 'user-ws') lastLinkFault.set(inst, e);
        continue;
      }
      if (e.src !== 'venue') continue;
      if (e.type === 'ws.open') {
        judge(inst, e.t);
        const d = e.data as WsOpenData;
        stats.opens++;
        const after = lastLinkFault.get(inst);
        if (after) stats.recoveries++;
        let m = open.get(inst);
        if (!m) {
          m = new Map();
          open.set(inst, m);
        }
        m.set(d.connId, {
          open: e,
          kind: d.kind,
          streams: new Set((d.streams ?? []).map((s) => s.toLowerCase())),
          ...(after ? { after } : {}),
          flagged: false,
        });
      } else if (e.type === 'ws.close') {
        judge(inst, e.t);
        open.get(inst)?.delete((e.data as WsCloseData).connId);
      }
    }
    for (const inst of open.keys()) judge(inst, end);
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.recoveries === 0) return unknown('no link fault was followed by a reconnect: no recovery to judge', stats);
    return { valid: true, violations: [], notes: [`${stats.recoveries} connection(s) opened after link faults, none duplicated`], stats };
  },
};
