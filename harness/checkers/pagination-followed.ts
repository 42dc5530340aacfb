import type { HistoryEvent, HttpRequestData, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const OPEN_ORDERS_ONE_PAGE = '003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and';
const POSITIONS_ONE_PAGE = '003_a7371304fd1017c8.txt#get-positions-returns-only-one-response-page-and';

type Page = NonNullable<HttpRequestData['page']>;

/** The later request asks for what comes after the earlier page: a higher page, a later startTime, a higher fromId. */
function advances(next: Page | undefined, prev: Page): boolean {
  if (!next) return false;
  if (prev.page !== undefined && next.page !== undefined && next.page > prev.page) return true;
  if (prev.fromId !== undefined && next.fromId !== undefined && next.fromId > prev.fromId) return true;
  if (prev.startTime !== undefined && next.startTime !== undefined && next.startTime > prev.startTime) return true;
  // From a time-ranged first page to a fromId cursor (userTrades: fromId = last id + 1).
  return prev.fromId === undefined && next.fromId !== undefined;
}

interface Open {
  full: HistoryEvent;
  path: string;
  page: Page;
  /** The first risk-increasing order the instance placed while the read was still incomplete. */
  order?: HistoryEvent;
}

/**
 * Paginated reads are followed to the end: when a list endpoint answers a full page (as many rows as
 * the limit asked for, so there may be more), the bot asks for the next page before it acts on
 * what it read. A reader that takes the first page for the whole list misses everything after it
 * (003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and and
 * #get-positions-returns-only-one-response-page-and: one response page of open orders or positions,
 * the cursor never followed). Binance USD-M answers open orders and positions whole; the lists it
 * pages are the account's history (GET /fapi/v1/income: limit and page; GET /fapi/v1/userTrades:
 * limit and fromId), which bots read to seed loss limits and reconcile fills, so this is where the
 * invariant shows. The venue records each page it answered (`venue http.request` {page: rows,
 * limit, page, startTime, fromId}).
 *
 * Per instance and path: after a full page (rows === limit), the next request to the same path
 * with an advanced cursor (higher page, later startTime or higher fromId) must come within
 * followMs (default 5000), and no risk-increasing order (position.ts increasesRisk) of the instance
 * may reach the venue before it. Evidence: [the full page, the order acted on it or the next
 * request to that path that did not advance (if any)].
 *
 * Unknown when no list endpoint answered a full page (the list never exceeded one page: not
 * exercised), or every full page came less than followMs before the end.
 */
export const paginationFollowed: Checker = {
  name: 'pagination-followed',
  description: 'After a full page of a paginated list (income, userTrades) the bot reads the next page before acting on it',
  findings: [OPEN_ORDERS_ONE_PAGE, POSITIONS_ONE_PAGE],
  requires: ['rest-orders'],
  check(history, ctx): CheckResult {
    const followMs = numberOption(ctx.options, 'followMs', 5000);
    const stats = { pages: 0, fullPages: 0, followed: 0, unjudged: 0 };
    const violations: Violation[] = [];
    const open = new Map<string, Open>(); // instance + path -> the full page awaiting its next page
    const end = history.length > 0 ? (history[history.length - 1] as HistoryEvent).t : 0;
    const flag = (o: Open, message: string, evidence: number[]) => {
      // 003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and / #get-positions-returns-only-one-response-page-and
      violations.push({
        t: o.full.t,
        ...(o.full.instance ? { instance: o.full.instance } : {}),
        message: `${message} [${OPEN_ORDERS_ONE_PAGE}, ${POSITIONS_ONE_PAGE}]`,
        evidence,
      });
    };
    const expire = (now: number) => {
      for (const [key, o] of open) {
        if (now - o.full.t <= followMs) continue; // still time to follow
        open.delete(key);
        flag(
          o,
          `${o.full.instance} read a full page of ${o.path} (${o.page.rows} of limit ${o.page.limit}) and never asked for the next one within ${followMs} ms`,
          [o.full.seq],
        );
      }
    };
    for (const e of history) {
      expire(e.t);
      if (e.src !== 'venue' || e.instance === undefined) continue;
      if (e.type === 'order.new') {
        const d = e.data as OrderNewData;
        if (!increasesRisk(Number(d.positionBefore), d.side, Number(d.qty), d.reduceOnly)) continue;
        for (const [key, o] of open) {
          if (!key.startsWith(`${e.instance} `) || o.order) continue;
          o.order = e;
        }
        continue;
      }
      if (e.type !== 'http.request') continue;
      const d = e.data as HttpRequestData;
      if (d.method !== 'GET' || d.status !== 200 || !d.page) continue;
      stats.pages++;
      const key = `${e.instance} ${d.path}`;
      const waiting = open.get(key);
      if (waiting && advances(d.page, waiting.page)) {
        open.delete(key);
        stats.followed++;
        if (waiting.order) {
          const od = waiting.order.data as OrderNewData;
          flag(
            waiting,
            `${e.instance} placed ${od.side} ${od.qty} ${od.symbol} ${Math.round(waiting.order.t - waiting.full.t)} ms after a full page of ${d.path} and before reading the next one`,
            [waiting.full.seq, waiting.order.seq],
          );
        }
      }
      if (d.page.rows >= d.page.limit) {
        stats.fullPages++;
        if (!open.has(key)) open.set(key, { full: e, path: d.path, page: d.page });
      }
    }
    expire(end);
    stats.unjudged = open.size;
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.fullPages === 0) return unknown('no paginated list answered a full page: the reader was never asked to follow one', stats);
    if (stats.followed === 0) return unknown(`every full page came less than ${followMs} ms before the end: not judged`, stats);
    return { valid: true, violations: [], notes: [`${stats.followed} full page(s) followed by the next page before acting`], stats };
  },
};
