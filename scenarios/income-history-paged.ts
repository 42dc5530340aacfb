import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The account has already closed 1,500 trades today (realized PnL -300 USDT over 1,500 income
 * entries): more than one page of GET /fapi/v1/income (at most 1,000 rows a page). A bot that
 * seeds its daily-loss guard from its income and takes the first page for the whole list
 * (003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and, #get-positions-returns-only-one-response-page-and:
 * one response page, the cursor never followed) misses a third of the day and trades on it; a
 * hardened one reads page 2 before its first order.
 */
export default defineScenario({
  id: 'income-history-paged',
  title: 'More closed trades today than one page of income history',
  description:
    'The account starts with 1,500 REALIZED_PNL income entries today adding up to -300 USDT (account.realizedPnlToday). ' +
    'Passes when, after every full page of a paginated list (income, userTrades), the bot asks for the next page within 5 s and places no ' +
    'risk-increasing order before it.',
  findings: ['003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and', '003_a7371304fd1017c8.txt#get-positions-returns-only-one-response-page-and'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  account: { realizedPnlToday: { rows: 1500, totalUsdt: -300 } },
  faults: [],
  checks: [{ name: 'pagination-followed', options: { followMs: 5000 } }],
});
