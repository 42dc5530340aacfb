import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started in paper mode and given no venue URLs. The audited paper CLI defaulted to the
 * production venue config (001_0474a2fd1532b929.txt#C1): a paper run that trades, or tries to, on
 * the real exchange. A hardened bot refuses to start without the URLs of a testnet or simulator (one
 * that paper-trades on a simulator of its own would pass too: C1 asks only that nothing reaches
 * production, so config-fails-fast is not judged here).
 * Runs only where an egress guard catches outside connections (the containers runtime: every name
 * resolves to a sinkhole that records the attempt and answers nothing); elsewhere it is not
 * applicable, so a flawed bot can never reach the real exchange from here.
 */
export default defineScenario({
  id: 'paper-mode-default-venue-no-egress',
  title: 'Started in paper mode without venue URLs',
  description:
    'Every instance is started with REFBOT_MODE=paper and VENUE_REST_URL, VENUE_WS_URL, VENUE_USER_WS_URL empty, behind the egress guard. ' +
    'Passes when no connection attempt leaves the run’s own endpoints (no production exchange): refusing to start, or paper trading on a ' +
    'simulator of its own, both pass.',
  findings: ['001_0474a2fd1532b929.txt#C1'],
  suites: ['nightly'],
  requires: ['rest-orders', 'trading-modes', 'egress-guard'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_MODE: 'paper', VENUE_REST_URL: '', VENUE_WS_URL: '', VENUE_USER_WS_URL: '' }, decideMs: 10_000 },
  faults: [],
  checks: [{ name: 'no-production-egress' }],
});
