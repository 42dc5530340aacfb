import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator has a resting order of their own on the bot's account (fault foreign-order: a BUY
 * LIMIT far below the market, placed with the account's key but not by the bot). The bot trades
 * around it and is stopped with SIGTERM at the end; its shutdown cleanup must cancel its own orders
 * only, never the operator's (000_2ae31cbfe79758d1.txt#E-M12: a cancel-all fallback removed the
 * operator's protective orders).
 */
export default defineScenario({
  id: 'foreign-order-survives-stop',
  title: 'An operator’s order on the account survives the bot’s cleanup',
  description:
    'foreign-order at 2 s: a GTC BUY LIMIT 0.010 @ 45000 (25% under the market) under clientOrderId faultline-manual-f1. ' +
    'The bot trades, then is stopped with SIGTERM. Passes when the venue never cancels that order at the bot’s request ' +
    '(no cancel-all on any path, targeted cancels of the bot’s own orders only) and the bot’s shutdown ran.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M12'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [{ kind: 'foreign-order', at: 2000, params: { symbol: 'BTCUSDT', side: 'BUY', price: '45000', qty: '0.010' } }],
  checks: [{ name: 'own-orders-only' }],
});
