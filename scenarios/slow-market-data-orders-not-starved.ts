import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue answers the bot's market-data cross-check (GET /fapi/v1/ticker/bookTicker) 3 s late for
 * 6 s while the bot keeps trading. A bot whose HTTP client has one pooled connection for everything
 * (004_8a8a9a4995486b8f.txt#C-MAIN-06: pool_connections=1, pool_maxsize=1) queues each order behind
 * the slow request holding it; a hardened one sends its orders at once on another connection.
 */
export default defineScenario({
  id: 'slow-market-data-orders-not-starved',
  title: 'A slow market-data endpoint does not hold up orders',
  description:
    'rest-slow on GET /fapi/v1/ticker/bookTicker (3000 ms) from 2 s for 6 s. Passes when every order the bot sends in that window ' +
    '(its intent probe) reaches the venue within 750 ms.',
  findings: ['004_8a8a9a4995486b8f.txt#C-MAIN-06'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 11_000,
  faults: [{ kind: 'rest-slow', at: 2000, params: { durationMs: 6000, delayMs: 3000, method: 'GET', path: '/fapi/v1/ticker/bookTicker' } }],
  checks: [{ name: 'orders-not-starved', options: { maxDelayMs: 750 } }],
});
