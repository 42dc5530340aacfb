import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot trades TIERUSDT, whose first leverage bracket allows 500 USDT of position at the
 * venue's default 20x (harness/venue/extra-symbols.ts), and the bracket endpoint answers 503 for
 * the first 4 s. A risk manager built without its exchange handle
 * (003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager:
 * "RiskManager is built without the exchange manager, disabling exchange-backed risk helpers")
 * sizes from its own defaults and is refused -2027 by the venue; one that reads the account's
 * leverage and the symbol's brackets sizes under the cap, and opens no risk while they cannot be
 * read.
 */
export default defineScenario({
  id: 'leverage-tiers-bind',
  title: 'A symbol whose leverage tiers bind at the bot’s size, with the bracket endpoint down at first',
  description:
    'The bot trades TIERUSDT around 2 USDT (brackets: 500 USDT at 20x, 2,000 at 10x, ...; the account is at the default 20x); ' +
    'rest-error (503) on GET /fapi/v1/leverageBracket for the first 4 s. Passes when no order is refused -2027 (over the cap at the ' +
    'account’s leverage) and no risk-increasing order reaches the venue while the bracket read is failing.',
  findings: ['003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'TIERUSDT', startPrice: 2, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 15_000,
  faults: [{ kind: 'rest-error', at: 0, params: { durationMs: 4000, method: 'GET', path: '/fapi/v1/leverageBracket' } }],
  checks: [{ name: 'leverage-cap-respected' }, { name: 'guards-fail-closed', options: { inputs: ['/fapi/v1/leverageBracket'] } }],
});
