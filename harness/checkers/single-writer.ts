import type { FaultData, HistoryEvent, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { judgeFromOrders } from './single-writer-orders.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

/** `redis command` event data (harness/runner/redis-monitor.ts). */
interface RedisCommandData {
  user?: string;
  args?: unknown[];
}

/** Who holds the lock key, replayed from the commands Redis executed. */
interface Holder {
  /** The instance whose SET wrote the value, or "(foreign)" for a write from outside the instances. */
  owner: string;
  value: string;
  /** History time at which the key expires (Infinity without TTL). */
  expiresT: number;
  /** The redis command event that wrote the value, and its time. */
  seq: number;
  t: number;
}

const FOREIGN = '(foreign)';

function arg(a: unknown): string {
  return String(a);
}

/** PX/EX/KEEPTTL and NX/XX of a SET's trailing options. */
function setOptions(args: string[]): { nx: boolean; xx: boolean; ttlMs: number | undefined; keepTtl: boolean } {
  let nx = false;
  let xx = false;
  let keepTtl = false;
  let ttlMs: number | undefined;
  for (let i = 3; i < args.length; i++) {
    const o = (args[i] as string).toUpperCase();
    if (o === 'NX') nx = true;
    else if (o === 'XX') xx = true;
    else if (o === 'KEEPTTL') keepTtl = true;
    else if (o === 'PX' || o === 'EX') {
      const n = Number(args[i + 1]);
      ttlMs = o === 'PX' ? n : n * 1000;
      i++;
    }
  }
  return { nx, xx, ttlMs, keepTtl };
}

/**
 * At most one instance trades at a time: none places an order while another owner holds the
 * leader lock.
 *
 * Encodes 002_3e6ca2bf6dfde12d.txt#R8 (Redis failover and lock loss only simulated with
 * FakeKVLock, real behaviour unknown): cut Redis, steal or expire the lock, pause the holder;
 * the bot must never let two writers act at once.
 *
 * The lock is replayed from the `redis command` events (MONITOR order, commands run inside Lua
 * scripts included) for the lock key: SET (NX/XX, PX/EX, KEEPTTL), DEL/UNLINK, PEXPIRE/EXPIRE,
 * PERSIST, with expiry on the history clock from the command's time. The holder is the instance
 * whose SET wrote the current value; a value written from outside the instances (the redis-lock
 * fault, an operator) is a foreign holder. Each `venue order.new` of an instance is judged
 * against the holder at that moment: an order while another instance (or a foreign owner) holds
 * the key is a second writer. Evidence: [order.new, the SET that made the other owner the
 * holder, the offender's own last SET if any, the fault.start / lock.tampered events before it].
 * Only the trading window is judged (up to scenario.window.end): orders the instances send while
 * the harness stops them (shutdown exits) are the shutdown checks' business.
 *
 * Unknown when the lock never changed owner (no takeover, steal or expiry was exercised), or when
 * no order followed a change of owner.
 *
 * When no instance wrote a lock key with SET NX (the bot's lock is a file or lives elsewhere), the
 * check judges from the venue's orders alone (single-writer-orders.ts): an instance that wrote
 * before may not write again while the instance that took over still writes (within handoverMs)
 * [003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older].
 *
 * A foreign write (a steal) is instantaneous: the holder can learn of it only at its next
 * renewal, and an order it sent just before may land just after. Orders within stealGraceMs of a
 * foreign write are therefore not judged (counted in stats.inStealGrace). A takeover by another
 * instance gets no grace: it can only happen after the TTL, which a fenced holder's lease covers.
 *
 * Options: key (the lock key; default: every key an instance SET with NX), stealGraceMs (default
 * 1000), handoverMs (orders-only judgement: default 2000).
 */
export const singleWriter: Checker = {
  name: 'single-writer',
  description:
    'No instance places an order while another owner holds the leader lock (Redis lock replayed from MONITOR; without one, no writer resumes beside the one that took over)',
  findings: ['002_3e6ca2bf6dfde12d.txt#R8', '003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older'],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const keyOpt = ctx.options.key;
    if (keyOpt !== undefined && typeof keyOpt !== 'string') throw new TypeError(`check option key must be a string, got ${JSON.stringify(keyOpt)}`);
    const stealGraceMs = numberOption(ctx.options, 'stealGraceMs', 1000);
    const stats = { lockCommands: 0, ownerChanges: 0, orders: 0, ordersAfterChange: 0, secondWriterOrders: 0, inStealGrace: 0 };

    const commands = history.filter((e) => e.src === 'redis' && e.type === 'command');
    const keys = new Set<string>();
    if (keyOpt !== undefined) keys.add(keyOpt);
    else {
      for (const e of commands) {
        const a = ((e.data as RedisCommandData).args ?? []).map(arg);
        if (e.instance !== undefined && a[0]?.toUpperCase() === 'SET' && a.slice(3).some((o) => o.toUpperCase() === 'NX')) keys.add(a[1] as string);
      }
    }
    // No Redis lock (a lock file, a database lock): judged from the orders alone (single-writer-orders.ts).
    if (keys.size === 0) return judgeFromOrders(history, numberOption(ctx.options, 'handoverMs', 2000));

    const holders = new Map<string, Holder | undefined>();
    const lastHolder = new Map<string, Holder>(); // the last value written, even once deleted or expired
    const lastOwnSet = new Map<string, number>(); // `${key}/${instance}` -> seq of its last successful SET
    const disruptions: HistoryEvent[] = [];
    let changedAt: number | undefined;
    const violations: Violation[] = [];
    const current = (key: string, t: number): Holder | undefined => {
      const h = holders.get(key);
      return h && h.expiresT > t ? h : undefined;
    };

    for (const e of history) {
      // Orders after the window are the harness stopping the instances (shutdown exits): not judged here.
      if (e.src === 'harness' && e.type === 'scenario.window.end') break;
      if ((e.src === 'fault' && e.type === 'fault.start') || (e.src === 'redis' && e.type === 'lock.tampered')) {
        disruptions.push(e);
        continue;
      }
      if (e.src === 'redis' && e.type === 'command') {
        const a = ((e.data as RedisCommandData).args ?? []).map(arg);
        const cmd = a[0]?.toUpperCase();
        const key = a[1];
        if (key === undefined || !keys.has(key)) continue;
        stats.lockCommands++;
        const h = current(key, e.t);
        if (cmd === 'SET') {
          const o = setOptions(a);
          if ((o.nx && h) || (o.xx && !h)) continue; // not executed
          const owner = e.instance ?? FOREIGN;
          const expiresT = o.keepTtl && h ? h.expiresT : o.ttlMs !== undefined ? e.t + o.ttlMs : Number.POSITIVE_INFINITY;
          // A change of owner: a value other than the previous holder's (expired or not); the first SET is none.
          const prev = holders.get(key) ?? lastHolder.get(key);
          if (prev && (prev.owner !== owner || prev.value !== a[2])) {
            stats.ownerChanges++;
            changedAt ??= e.t;
          }
          const next = { owner, value: a[2] as string, expiresT, seq: e.seq, t: e.t };
          holders.set(key, next);
          lastHolder.set(key, next);
          if (e.instance !== undefined) lastOwnSet.set(`${key}/${e.instance}`, e.seq);
        } else if (cmd === 'DEL' || cmd === 'UNLINK') {
          holders.set(key, undefined);
        } else if ((cmd === 'PEXPIRE' || cmd === 'EXPIRE') && h) {
          const n = Number(a[2]);
          h.expiresT = e.t + (cmd === 'PEXPIRE' ? n : n * 1000);
        } else if (cmd === 'PERSIST' && h) {
          h.expiresT = Number.POSITIVE_INFINITY;
        }
        continue;
      }
      if (e.src !== 'venue' || e.type !== 'order.new' || e.instance === undefined) continue;
      stats.orders++;
      if (changedAt !== undefined) stats.ordersAfterChange++;
      for (const key of keys) {
        const h = current(key, e.t);
        if (!h || h.owner === e.instance) continue;
        if (h.owner === FOREIGN && e.t - h.t <= stealGraceMs) {
          stats.inStealGrace++;
          continue;
        }
        // 002_3e6ca2bf6dfde12d.txt#R8: a second writer: this instance trades while another owner holds the lock.
        stats.secondWriterOrders++;
        const od = e.data as unknown as OrderNewData;
        const own = lastOwnSet.get(`${key}/${e.instance}`);
        const before = disruptions.filter((d) => d.seq < e.seq).slice(-2);
        const by = h.owner === FOREIGN ? `a foreign owner (value ${h.value})` : h.owner;
        violations.push({
          t: e.t,
          instance: e.instance,
          message:
            `${e.instance} placed order ${od.orderId} (${od.side} ${od.qty} ${od.symbol}) while ${by} held ${key} ` +
            `(since t=${(h.t / 1000).toFixed(2)}s)${before.length > 0 ? `; after ${before.map((d) => describe(d)).join(', ')}` : ''}`,
          evidence: [e.seq, h.seq, ...(own !== undefined ? [own] : []), ...before.map((d) => d.seq)],
        });
      }
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.ownerChanges === 0) return unknown('the lock never changed owner: no takeover, steal or expiry was exercised', stats);
    if (stats.ordersAfterChange === 0) return unknown('no order followed the change of lock owner: nothing to judge', stats);
    return {
      valid: true,
      violations: [],
      notes: [
        `the lock changed owner ${stats.ownerChanges} time(s); ${stats.ordersAfterChange} order(s) after the first change were all placed by the lock's holder`,
      ],
      stats,
    };
  },
};

function describe(e: HistoryEvent): string {
  if (e.type === 'lock.tampered') return `lock ${String(e.data.action)} by the harness`;
  const d = e.data as FaultData;
  return `${d.kind} (${d.id}${e.instance ? ` on ${e.instance}` : ''})`;
}
