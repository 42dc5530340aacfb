import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot trades QTRUSDT (stepSize 0.25) and re-reads its filters from exchangeInfo whenever its
 * market stream reconnects. At 3 s the venue closes the market stream while GET /fapi/v1/exchangeInfo
 * answers only after 4 s. A bot whose metadata cache is cleared before the refresh and read in the
 * meantime (000_2ae31cbfe79758d1.txt#S-H1) sizes its orders on default filters and the venue refuses
 * them; a hardened one keeps the old filters until the new ones are complete.
 */
export default defineScenario({
  id: 'symbol-filters-refresh-race',
  title: 'A slow exchangeInfo refresh while trading QTRUSDT',
  description:
    'The bot trades QTRUSDT (tickSize 0.5, stepSize 0.25) around 157 USDT. From 2 s, for 8 s, GET /fapi/v1/exchangeInfo answers after 4 s (rest-slow); ' +
    'at 3 s the venue closes the bot’s market connections (ws-close), at 7 s again. Passes when no order is refused for breaking a price, quantity or ' +
    'notional filter (-1111, -4003/-4004/-4005, -4013/-4014, -4023, -4164 ...).',
  findings: ['000_2ae31cbfe79758d1.txt#S-H1'],
  suites: ['nightly'],
  requires: ['ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'QTRUSDT', startPrice: 157, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [
    { kind: 'rest-slow', at: 2000, params: { durationMs: 8000, delayMs: 4000, method: 'GET', path: '/fapi/v1/exchangeInfo' } },
    { kind: 'ws-close', at: 3000, params: { stream: 'market', code: 1001, reason: 'going away' } },
    { kind: 'ws-close', at: 7000, params: { stream: 'market', code: 1001, reason: 'going away' } },
  ],
  checks: [{ name: 'orders-respect-filters' }],
});
