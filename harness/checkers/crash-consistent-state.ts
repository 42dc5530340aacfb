import type { IntegrityCheckedData } from '../faults/sqlite-integrity.ts';
import { inspectedFiles } from '../faults/state-files-complete.ts';
import type { HistoryEvent, HttpRequestData, OrderNewData } from '../history/types.ts';
import { booleanOption, unknown } from './compose.ts';
import { OPEN_ORDERS_PATH, POSITION_PATHS } from './private-reads.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const MISSING_PERSISTENCE = '004_8a8a9a4995486b8f.txt#C-FSM-01';
const RECOVERY_WITHOUT_VALIDATION = '004_8a8a9a4995486b8f.txt#C-FSM-03';
const IDEMPOTENCY = '004_8a8a9a4995486b8f.txt#C-FSM-04';
const SHARED_SQLITE = '004_8a8a9a4995486b8f.txt#C-INFRA-02';
const TORN_CONFIG_WRITE = '000_2ae31cbfe79758d1.txt#E-M5';

/** REST reads that return the account's positions (Binance USD-M). */

/** One process lifetime of an instance: from its `target.start` to the next one. */
interface Lifetime {
  startSeq: number;
  /** The previous lifetime's `target.exit`, when it was seen (the kill). */
  exitSeq?: number;
  positionsSeq?: number;
  openOrdersSeq?: number;
  /** The bot's latest `position` probe in this lifetime: the position it believes it trades on. */
  believed?: string;
  orders: number;
  unreconciledReported: boolean;
}

/**
 * After a restart (kill -9 and start again with the same STATE_DIR), the bot carries on from a
 * consistent state: it never re-sends an order id a previous process used, and it reconciles with
 * the venue before it trades.
 *
 * A restart is a `target start` of an instance that already ran; its lifetime lasts until the
 * instance's next start. In every restarted lifetime:
 * - no `venue order.new` carries a clientOrderId that an order of the same instance already
 *   carried in an earlier lifetime. Ids are the bot's idempotency keys; a restarted bot that loses
 *   or cannot read its persisted counter and starts again from 0 replays them
 *   [004_8a8a9a4995486b8f.txt#C-FSM-04 actions not idempotent on replay, #C-FSM-03 recovered state
 *   not validated]. Evidence: [order.new, the earlier order.new with that id, the restart].
 * - no order that is not reduce-only reaches the venue before the new process has read its
 *   positions (GET positionRisk/account answered 200) and, with `openOrders` (default true), its
 *   open orders (GET /fapi/v1/openOrders answered 200): a bot that recovers nothing trades as if
 *   flat on top of what its predecessor left [004_8a8a9a4995486b8f.txt#C-FSM-01 crash recovery lost
 *   positions]. The first such order per lifetime is reported, with the position the bot believed
 *   (its `position` probe) and the venue's. Evidence: [order.new, the restart, the kill?].
 *
 * - every inspection of the bot's SQLite state DB (`db integrity.checked`, fault sqlite-integrity)
 *   found it sound: `PRAGMA integrity_check` answered "ok" [004_8a8a9a4995486b8f.txt#C-INFRA-02: one
 *   connection shared by threads without a lock, under concurrent order activity and kills; its
 *   "dedupe must hold" half is the re-sent clientOrderId rule above]. A corrupt or unreadable
 *   database is a violation whether or not the bot was restarted. Evidence: [integrity.checked, the
 *   last restart?].
 * - every JSON / JSON-lines file of the bot that an inspection (`fault files.inspected`, fault
 *   state-files-complete) found is whole: a file written in place (no temp file + atomic rename)
 *   and killed mid-write is torn, and the next start reads half a config
 *   [000_2ae31cbfe79758d1.txt#E-M5: merged config written without atomic rename]. Evidence:
 *   [files.inspected, the last restart?].
 *
 * Order rejects are not judged: the venue does not record their clientOrderId.
 *
 * Unknown when no instance was restarted (not exercised) or, without a violation, when no order
 * reached the venue in a restarted lifetime (nothing to judge).
 */
export const crashConsistentState: Checker = {
  name: 'crash-consistent-state',
  description: 'After a restart the bot re-sends no clientOrderId a previous process used and reads positions and open orders before trading',
  findings: [MISSING_PERSISTENCE, RECOVERY_WITHOUT_VALIDATION, IDEMPOTENCY, SHARED_SQLITE, TORN_CONFIG_WRITE],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const wantOpenOrders = booleanOption(ctx.options, 'openOrders', true);
    const violations: Violation[] = [];
    const stats = {
      restarts: 0,
      judged: 0,
      ordersBeforeRestart: 0,
      ordersAfterRestart: 0,
      reusedIds: 0,
      unreconciledOrders: 0,
      reconciled: 0,
      integrityChecks: 0,
      integrityFailures: 0,
      filesInspected: 0,
      tornFiles: 0,
    };
    const lives = new Map<string, Lifetime>();
    const lastExit = new Map<string, number>();
    /** Per instance: clientOrderId -> seq of its first order.new, in lifetimes that ended. */
    const usedBefore = new Map<string, Map<string, number>>();
    const usedNow = new Map<string, Map<string, number>>();
    const judgedLives = new Set<Lifetime>();

    const onOrder = (e: HistoryEvent, inst: string, life: Lifetime) => {
      const d = e.data as OrderNewData;
      const now = usedNow.get(inst) ?? new Map<string, number>();
      usedNow.set(inst, now);
      if (!now.has(d.clientOrderId)) now.set(d.clientOrderId, e.seq);
      const restarted = usedBefore.has(inst);
      if (!restarted) {
        stats.ordersBeforeRestart++;
        return;
      }
      stats.ordersAfterRestart++;
      life.orders++;
      judgedLives.add(life);
      // 004_8a8a9a4995486b8f.txt#C-FSM-04 / #C-FSM-03: an id of an earlier process sent again.
      const earlier = usedBefore.get(inst)?.get(d.clientOrderId);
      if (earlier !== undefined) {
        stats.reusedIds++;
        violations.push({
          t: e.t,
          instance: inst,
          message:
            `${inst} re-sent clientOrderId ${d.clientOrderId} (${d.side} ${d.qty} ${d.symbol}) after its restart: ` +
            `a previous process already used it (seq ${earlier}); the restarted bot replays its idempotency keys`,
          evidence: [e.seq, earlier, life.startSeq],
        });
      }
      // 004_8a8a9a4995486b8f.txt#C-FSM-01: trading before positions (and open orders) were recovered.
      const missing = [
        ...(life.positionsSeq === undefined ? ['positions (positionRisk/account)'] : []),
        ...(wantOpenOrders && life.openOrdersSeq === undefined ? ['open orders (openOrders)'] : []),
      ];
      if (d.reduceOnly || missing.length === 0) return;
      stats.unreconciledOrders++;
      if (life.unreconciledReported) return;
      life.unreconciledReported = true;
      const view = life.believed === undefined ? '' : `; it believed its position was ${life.believed}`;
      violations.push({
        t: e.t,
        instance: inst,
        message:
          `${inst} sent ${d.side} ${d.qty} ${d.symbol} (not reduce-only) after its restart without having read its ${missing.join(' or ')} ` +
          `from the venue: the venue's position was ${d.positionBefore}${view}`,
        evidence: life.exitSeq === undefined ? [e.seq, life.startSeq] : [e.seq, life.startSeq, life.exitSeq],
      });
    };

    for (const e of history) {
      const inst = e.instance;
      if (inst === undefined) continue;
      if (e.src === 'db' && e.type === 'integrity.checked') {
        const d = e.data as IntegrityCheckedData;
        if (!d.exists) continue;
        stats.integrityChecks++;
        if (d.ok) continue;
        // 004_8a8a9a4995486b8f.txt#C-INFRA-02: the state DB is damaged.
        stats.integrityFailures++;
        const life = lives.get(inst);
        violations.push({
          t: e.t,
          instance: inst,
          message: `${inst}'s state database ${d.file} fails SQLite's integrity check: ${d.result.slice(0, 3).join('; ')} [${SHARED_SQLITE}]`,
          evidence: life ? [e.seq, life.startSeq] : [e.seq],
        });
        continue;
      }
      if (e.src === 'fault' && e.type === 'files.inspected') {
        const life = lives.get(inst);
        const { existing, torn } = inspectedFiles(e.data);
        stats.filesInspected += existing;
        for (const f of torn) {
          // 000_2ae31cbfe79758d1.txt#E-M5: written in place, cut off by a kill.
          stats.tornFiles++;
          violations.push({
            t: e.t,
            instance: inst,
            message: `${inst}'s ${f.file} is torn: ${f.problem ?? 'incomplete'} (written in place, not replaced atomically) [${TORN_CONFIG_WRITE}]`,
            evidence: life ? [e.seq, life.startSeq] : [e.seq],
          });
        }
        continue;
      }
      if (e.src === 'target' && e.type === 'target.exit') {
        lastExit.set(inst, e.seq);
        continue;
      }
      if (e.src === 'target' && e.type === 'target.start') {
        if (lives.has(inst)) {
          // A restart: what the ended lifetimes used is now "before".
          stats.restarts++;
          const before = usedBefore.get(inst) ?? new Map<string, number>();
          for (const [cid, seq] of usedNow.get(inst) ?? []) if (!before.has(cid)) before.set(cid, seq);
          usedBefore.set(inst, before);
          usedNow.set(inst, new Map());
        }
        const exitSeq = lastExit.get(inst);
        lastExit.delete(inst);
        lives.set(inst, { startSeq: e.seq, ...(exitSeq !== undefined ? { exitSeq } : {}), orders: 0, unreconciledReported: false });
        continue;
      }
      const life = lives.get(inst);
      if (life === undefined) continue;
      if (e.src === 'target' && e.type === 'probe' && (e.data as { probe?: unknown }).probe === 'position') {
        const p = (e.data as { position?: unknown }).position;
        if (typeof p === 'string' || typeof p === 'number') life.believed = String(p);
      } else if (e.src === 'venue' && e.type === 'http.request') {
        const d = e.data as HttpRequestData;
        if (d.method !== 'GET' || d.status !== 200) continue;
        if (POSITION_PATHS.has(d.path)) life.positionsSeq ??= e.seq;
        else if (d.path === OPEN_ORDERS_PATH) life.openOrdersSeq ??= e.seq;
      } else if (e.src === 'venue' && e.type === 'order.new') {
        onOrder(e, inst, life);
      }
    }

    stats.judged = judgedLives.size;
    for (const l of judgedLives) if (!l.unreconciledReported) stats.reconciled++;
    if (stats.restarts === 0 && violations.length === 0)
      return unknown('no instance was restarted (process-kill with restartAfterMs): the invariant was not exercised', stats);
    if (violations.length === 0 && stats.ordersAfterRestart === 0) return unknown('no order reached the venue after a restart: nothing to judge', stats);
    const notes = [
      `${stats.restarts} restart(s); ${stats.ordersAfterRestart} order(s) after them judged against ${stats.ordersBeforeRestart} before`,
      ...(stats.integrityChecks > 0 ? [`${stats.integrityChecks} integrity check(s) of the state DB, ${stats.integrityFailures} failed`] : []),
      ...(stats.filesInspected > 0 ? [`${stats.filesInspected} state file(s) inspected, ${stats.tornFiles} torn`] : []),
    ];
    return { valid: violations.length === 0, violations, notes, stats };
  },
};
