import type { HistoryEvent, HttpRequestData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { judgeRecovery, SLOW_MODE_STUCK } from './outbound-recovery.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const NO_BACKOFF = '002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan';
const NO_BREAKER = '002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis';
const PERMANENT_RETRIED = '004_8a8a9a4995486b8f.txt#H-SERV-01';
const HAMMERING = '004_8a8a9a4995486b8f.txt#H-SERV-03';
const LIMITER_BYPASS_TICKER = '004_8a8a9a4995486b8f.txt#H-SERV-04';
const LIMITER_BYPASS_BOOK = '004_8a8a9a4995486b8f.txt#H-ADAPTER-03';

export const RULES = ['retry-after', 'permanent-errors', 'backoff', 'recovery'] as const;
export type Rule = (typeof RULES)[number];
/** The rules judged when the scenario names none (recovery is opt-in: it needs a heal and time after it). */
const DEFAULT_RULES: Rule[] = ['retry-after', 'permanent-errors', 'backoff'];

/**
 * 4xx codes that do not say "this request can never succeed": rate limits (-1003, -1015), the
 * clock (-1021: re-sync, then the same order is fine), "unknown" / overloaded (-1007, -1001,
 * -1008), and -2013 on an order lookup (the order may not be visible yet; re-asking is the fix
 * of another finding).
 */
const NOT_PERMANENT_CODES = new Set([-1003, -1015, -1021, -1007, -1001, -1008, -2013]);

function isPermanent(d: HttpRequestData): boolean {
  return d.status >= 400 && d.status < 500 && d.status !== 408 && d.status !== 418 && d.status !== 429 && !NOT_PERMANENT_CODES.has(d.code ?? 0);
}

/** The endpoint is failing right now: 5xx, 408, or the answer was lost on the way. */
function isTransientFailure(d: HttpRequestData): boolean {
  return d.status >= 500 || d.status === 408 || d.dropped === true;
}

function isRateLimited(d: HttpRequestData): boolean {
  return d.status === 429 || d.status === 418;
}

function rulesOption(options: Record<string, unknown>): Rule[] {
  const v = options.rules;
  if (v === undefined) return [...DEFAULT_RULES];
  if (!Array.isArray(v) || v.length === 0 || v.some((r) => !(RULES as readonly unknown[]).includes(r))) {
    throw new TypeError(`check option rules must be a non-empty list of ${RULES.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as Rule[];
}

function describe(d: HttpRequestData): string {
  return `HTTP ${d.status}${d.code === undefined ? '' : ` code ${d.code}`}${d.dropped ? ' (answer lost)' : ''}`;
}

interface Pause {
  until: number;
  by: HistoryEvent;
  flagged: boolean;
  during: number;
}

interface Streak {
  count: number;
  first: HistoryEvent;
  last: HistoryEvent;
  flagged: boolean;
}

/**
 * The bot keeps outbound discipline towards the venue's REST API. Three rules over the venue's
 * `http.request` records, per instance (`rules` picks them; default all):
 *
 * 1. retry-after: after a 429 or 418 carrying Retry-After R (`retryAfterS`), no REST request of
 *    that instance reaches the venue before R has elapsed. Binance: "it's your obligation as an API
 *    to back off"; repeated violation is what earns the 418 ban. Requests within graceMs of the
 *    429 are forgiven (already in flight when it was sent). Encodes
 *    002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan ("retry intervals must
 *    grow and honour Retry-After"), and, because the pause holds for every path, the rate limiter
 *    used on all paths: 004_8a8a9a4995486b8f.txt#H-SERV-04 (get_ticker() bypasses it) and
 *    004_8a8a9a4995486b8f.txt#H-ADAPTER-03 (fetch_order_book() bypasses it); a bypassing path is
 *    what keeps polling inside the pause. Evidence: [request in the pause, the 429/418, active fault.start].
 * 2. permanent-errors: after a permanent rejection (4xx other than 408/418/429 and the codes in
 *    NOT_PERMANENT_CODES, e.g. -2019 margin insufficient, -1111 precision, -4164 min notional), the
 *    identical request (same method, path and parameter digest `fp`, which ignores timestamp,
 *    signature and recvWindow) is not sent again within permanentWindowMs. Encodes
 *    004_8a8a9a4995486b8f.txt#H-SERV-01 (all errors treated alike, retries wasted on permanent
 *    errors). Evidence: [the re-send, the rejection, the fault.start active at the rejection].
 * 3. backoff: once an endpoint (method + path) has failed transiently (5xx, 408, answer lost)
 *    failureThreshold times in a row, the instance's next request to it comes no sooner than
 *    minPauseMs after the last failure. Defaults 3 and 2000 ms are the audit's own remedy,
 *    tenacity's stop_after_attempt(3) and wait_exponential(min=2, max=10): a bot with exponential
 *    backoff or an open circuit breaker waits at least that long, one that retries at a fixed
 *    short pause or keeps its normal cadence does not. Encodes
 *    002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan,
 *    002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis and
 *    004_8a8a9a4995486b8f.txt#H-SERV-03 (keeps hammering the exchange at 100% failure). One
 *    violation per failure streak. Evidence: [the request, the streak's last failure, its first
 *    failure, active fault.start].
 *
 * 4. recovery (opt-in, not in the default rules): an endpoint polled at a steady cadence that
 *    failed transiently is polled at that cadence again after every fault healed (see
 *    outbound-recovery.ts). Encodes 004_8a8a9a4995486b8f.txt#H-SERV-02 (one failed batch fetch
 *    switches market data to slow mode for good).
 *
 * Unknown when none of the chosen rules was exercised: no 429/418 with Retry-After, no permanent
 * rejection (or none with a digest), no request to an endpoint after it failed transiently, no
 * failed endpoint with a cadence before and enough healed window after.
 *
 * Options: rules (default retry-after, permanent-errors, backoff), graceMs (250), permanentWindowMs
 * (10000), failureThreshold (3), minPauseMs (2000), recoverySettleMs (3000), slowFactor (3).
 */
export const outboundDiscipline: Checker = {
  name: 'outbound-discipline',
  description:
    'Retry-After honoured, permanent rejections not re-sent, a failing endpoint backed off (no hammering) and, opt-in, polled at its cadence again after the heal',
  findings: [NO_BACKOFF, NO_BREAKER, PERMANENT_RETRIED, HAMMERING, LIMITER_BYPASS_TICKER, LIMITER_BYPASS_BOOK, SLOW_MODE_STUCK],
  requires: [],
  check(history, ctx): CheckResult {
    const rules = rulesOption(ctx.options);
    const graceMs = numberOption(ctx.options, 'graceMs', 250);
    const permanentWindowMs = numberOption(ctx.options, 'permanentWindowMs', 10_000);
    const failureThreshold = numberOption(ctx.options, 'failureThreshold', 3);
    const minPauseMs = numberOption(ctx.options, 'minPauseMs', 2000);
    const recoverySettleMs = numberOption(ctx.options, 'recoverySettleMs', 3000);
    const slowFactor = numberOption(ctx.options, 'slowFactor', 3);
    const on = (r: Rule) => rules.includes(r);
    const violations: Violation[] = [];
    const stats = {
      requests: 0,
      rateLimited: 0,
      banned418: 0,
      requestsInPause: 0,
      permanentErrors: 0,
      permanentResends: 0,
      transientFailures: 0,
      retriesAfterFailure: 0,
      maxStreak: 0,
      hammered: 0,
      recoveryEndpointsJudged: 0,
      recoveryBaselineMs: 0,
      recoveryMaxGapAfterHealMs: 0,
      notRecovered: 0,
    };
    const notes: string[] = [];
    let rateLimitedWithoutHeader = 0;
    let permanentWithoutFp = 0;

    const pauses = new Map<string, Pause>();
    // instance|method path|fp -> the permanent rejection, with the faults active when it was answered
    const rejected = new Map<string, { e: HistoryEvent; faults: number[] }>();
    const streaks = new Map<string, Streak>(); // instance|method path
    const activeFaults = new Map<string, HistoryEvent>(); // fault id -> fault.start

    const faultEvidence = (inst: string): number[] => {
      let latest: HistoryEvent | undefined;
      for (const f of activeFaults.values()) {
        if (f.instance !== undefined && f.instance !== 'all' && f.instance !== inst) continue;
        if (!latest || f.seq > latest.seq) latest = f;
      }
      return latest ? [latest.seq] : [];
    };

    for (const e of history) {
      if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
        const id = String((e.data as { id?: unknown }).id);
        if (e.type === 'fault.start') activeFaults.set(id, e);
        else activeFaults.delete(id);
        continue;
      }
      if (e.src !== 'venue' || e.type !== 'http.request' || e.instance === undefined) continue;
      const inst = e.instance;
      const d = e.data as HttpRequestData;
      const endpoint = `${d.method} ${d.path}`;
      stats.requests++;

      // 1. retry-after on every path (002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan,
      //    004_8a8a9a4995486b8f.txt#H-SERV-04, 004_8a8a9a4995486b8f.txt#H-ADAPTER-03).
      const pause = pauses.get(inst);
      if (on('retry-after') && pause && e.t < pause.until && e.t > pause.by.t + graceMs) {
        stats.requestsInPause++;
        pause.during++;
        if (!pause.flagged) {
          pause.flagged = true;
          const b = pause.by.data as HttpRequestData;
          violations.push({
            t: e.t,
            instance: inst,
            message:
              `${inst} sent ${endpoint} ${Math.round(e.t - pause.by.t)} ms after the venue answered ${describe(b)} with Retry-After ${b.retryAfterS} s ` +
              `(no request allowed for ${Math.round(pause.until - pause.by.t)} ms)`,
            evidence: [e.seq, pause.by.seq, ...faultEvidence(inst)],
          });
        }
      }
      if (isRateLimited(d)) {
        stats.rateLimited++;
        if (d.status === 418) stats.banned418++;
        if (typeof d.retryAfterS === 'number') {
          const until = e.t + d.retryAfterS * 1000;
          // A 429 inside a pause the bot already broke extends it without a second violation.
          const broken = pause !== undefined && e.t < pause.until && pause.flagged;
          if (!pause || until > pause.until) pauses.set(inst, { until, by: e, flagged: broken, during: 0 });
        } else {
          rateLimitedWithoutHeader++;
        }
      }

      // 2. permanent-errors (004_8a8a9a4995486b8f.txt#H-SERV-01).
      if (typeof d.fp === 'string') {
        const key = `${inst}|${endpoint}|${d.fp}`;
        const hit = rejected.get(key);
        const prev = hit?.e;
        if (on('permanent-errors') && hit && prev && e.t - prev.t <= permanentWindowMs) {
          stats.permanentResends++;
          violations.push({
            t: e.t,
            instance: inst,
            message:
              `${inst} re-sent the identical ${endpoint} (parameters ${d.fp}) ${Math.round(e.t - prev.t)} ms after the venue rejected it ` +
              `permanently (${describe(prev.data as HttpRequestData)}); the answer was ${describe(d)}`,
            // The fault behind the rejection, even if it has ended by the re-send.
            evidence: [e.seq, prev.seq, ...hit.faults],
          });
        }
        if (isPermanent(d)) rejected.set(key, { e, faults: faultEvidence(inst) });
        else rejected.delete(key);
      }
      if (isPermanent(d)) {
        stats.permanentErrors++;
        if (typeof d.fp !== 'string') permanentWithoutFp++;
      }

      // 3. backoff (002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan,
      //    002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis, 004_8a8a9a4995486b8f.txt#H-SERV-03).
      const skey = `${inst}|${endpoint}`;
      const streak = streaks.get(skey);
      if (streak) {
        stats.retriesAfterFailure++;
        const gap = e.t - streak.last.t;
        if (on('backoff') && streak.count >= failureThreshold && gap < minPauseMs) {
          stats.hammered++;
          if (!streak.flagged) {
            streak.flagged = true;
            violations.push({
              t: e.t,
              instance: inst,
              message:
                `${inst} called ${endpoint} again ${Math.round(gap)} ms after ${streak.count} consecutive failures ` +
                `(the last ${describe(streak.last.data as HttpRequestData)}, failing for ${Math.round(e.t - streak.first.t)} ms); after ` +
                `${failureThreshold} failures in a row it must wait at least ${minPauseMs} ms (exponential backoff / circuit breaker)`,
              evidence: [e.seq, streak.last.seq, streak.first.seq, ...faultEvidence(inst)],
            });
          }
        }
      }
      if (isTransientFailure(d)) {
        stats.transientFailures++;
        const s = streak ?? { count: 0, first: e, last: e, flagged: false };
        s.count++;
        s.last = e;
        streaks.set(skey, s);
        stats.maxStreak = Math.max(stats.maxStreak, s.count);
      } else if (!isRateLimited(d)) {
        streaks.delete(skey);
      }
    }

    // 4. recovery (004_8a8a9a4995486b8f.txt#H-SERV-02), judged over the whole history.
    if (on('recovery')) {
      const rec = judgeRecovery(history, isTransientFailure, { settleMs: recoverySettleMs, slowFactor });
      violations.push(...rec.violations);
      stats.recoveryEndpointsJudged = rec.stats.endpointsJudged;
      stats.recoveryBaselineMs = rec.stats.baselineMs;
      stats.recoveryMaxGapAfterHealMs = rec.stats.maxGapAfterHealMs;
      stats.notRecovered = rec.stats.notRecovered;
    }

    const exercised: Record<Rule, boolean> = {
      'retry-after': stats.rateLimited - rateLimitedWithoutHeader > 0,
      'permanent-errors': stats.permanentErrors - permanentWithoutFp > 0,
      backoff: stats.retriesAfterFailure > 0,
      recovery: stats.recoveryEndpointsJudged > 0,
    };
    if (rateLimitedWithoutHeader > 0) notes.push(`${rateLimitedWithoutHeader} rate-limit answer(s) carried no Retry-After and were not judged`);
    if (permanentWithoutFp > 0) notes.push(`${permanentWithoutFp} permanent rejection(s) had no parameter digest (fp) and were not judged`);
    if (violations.length > 0) return { valid: false, violations, notes, stats };
    const done = rules.filter((r) => exercised[r]);
    if (done.length === 0) {
      return unknown(
        `none of the rules ${rules.join(', ')} was exercised: no 429/418 with Retry-After, no permanent rejection, no request after a transient failure`,
        stats,
      );
    }
    for (const r of rules) if (!exercised[r]) notes.push(`rule ${r} was not exercised`);
    const said: string[] = [];
    if (exercised['retry-after'] && on('retry-after')) said.push(`${stats.rateLimited} rate-limit answer(s), no request inside a Retry-After pause`);
    if (exercised['permanent-errors'] && on('permanent-errors')) said.push(`${stats.permanentErrors} permanent rejection(s), none re-sent`);
    if (exercised.backoff && on('backoff')) {
      said.push(
        `${stats.transientFailures} transient failure(s) (longest streak ${stats.maxStreak}), every retry after ${failureThreshold} in a row waited >= ${minPauseMs} ms`,
      );
    }
    if (exercised.recovery && on('recovery')) {
      said.push(
        `${stats.recoveryEndpointsJudged} failed endpoint(s) back to their cadence after the heal (baseline ${stats.recoveryBaselineMs} ms, longest gap ${stats.recoveryMaxGapAfterHealMs} ms, bound ${slowFactor}x)`,
      );
    }
    return { valid: true, violations: [], notes: [...notes, said.join('; ')], stats };
  },
};
