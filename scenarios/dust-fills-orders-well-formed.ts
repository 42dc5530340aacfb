import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Every order fills only its first slice of 4 and the rest expires, so the bot holds and exits
 * dust-sized positions from its very first order on. An average entry price computed from dust
 * fills can overflow to NaN or infinity (004_8a8a9a4995486b8f.txt#H-PORT-03), and a grid whose
 * center starts at 0.0 prices its first orders from zero (001_0474a2fd1532b929.txt#M5): either way
 * an order with a NaN, infinite, zero or negative price or quantity goes out. Every order from the
 * first one on is judged.
 */
export default defineScenario({
  id: 'dust-fills-orders-well-formed',
  title: 'Dust-sized fills: every order has a real price and quantity',
  description:
    'From the start every order executes 1 of 4 slices and the remainder expires (partial-fills), leaving dust-sized positions. ' +
    'Passes when the quantity and price of every order the bot sends, accepted or refused, is a positive plain decimal (no NaN, inf, 0, negative, exponent).',
  findings: ['004_8a8a9a4995486b8f.txt#H-PORT-03', '001_0474a2fd1532b929.txt#M5'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [{ kind: 'partial-fills', at: 0, params: { slices: 4, intervalMs: 100, filledSlices: 1, rest: 'expire' } }],
  checks: [{ name: 'orders-well-formed' }],
});
