import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's bookTicker bid reads "0.0" for 5 s (an empty book side, a broken feed) while the ask
 * stays real. A bot that sizes orders from the mid without validating the quote halves its price
 * and doubles its order (qty = notional / mid; 004_8a8a9a4995486b8f.txt#M-ADAPTER-01,
 * 000_2ae31cbfe79758d1.txt#S-M6 / #S-M1); a hardened one drops the price and opens no risk until a
 * sane quote arrives.
 */
export default defineScenario({
  id: 'market-data-zero-bid',
  title: 'The bookTicker bid reads 0 for 5 s',
  description:
    'From 4 s after the bot is ready, for 5 s, every bookTicker it receives has bid "0.0" (market-data-corrupt, mode zero, side bid; the ask and the socket are fine). ' +
    'Passes when no risk-increasing order reaches the venue within 5 s after a degenerate price while no sane price has reached the bot since.',
  findings: ['004_8a8a9a4995486b8f.txt#M-ADAPTER-01', '000_2ae31cbfe79758d1.txt#S-M6', '000_2ae31cbfe79758d1.txt#S-M1'],
  suites: ['nightly'],
  requires: ['ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 15_000,
  faults: [{ kind: 'market-data-corrupt', at: 4000, params: { mode: 'zero', side: 'bid', durationMs: 5000 } }],
  checks: [{ name: 'no-orders-on-degenerate-data', options: { windowMs: 5000 } }],
});
