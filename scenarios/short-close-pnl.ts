import { defineScenario } from '../harness/core/scenario.ts';

/**
 * A volatile market (0.06 % per 250 ms tick) while the bot cycles LONG, FLAT, SHORT, FLAT, so every
 * short it closes realizes a profit or a loss. A portfolio that books the close of a short with
 * the long formula (004_8a8a9a4995486b8f.txt#H-PORT-01: PnL sign error for shorts) reports a
 * realized PnL the venue never paid; a hardened one matches the venue's realized PnL of its fills.
 */
export default defineScenario({
  id: 'short-close-pnl',
  title: 'Shorts are opened and closed in a volatile market',
  description:
    'No fault: a volatile price path (volPerTick 0.0006) while the bot opens and closes longs and shorts. ' +
    'Passes when every realized PnL the bot reports at a quiet point (no order working, last order event 500 ms old) is within 0.01 USD of the venue’s realized PnL of its fills.',
  findings: ['004_8a8a9a4995486b8f.txt#H-PORT-01'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0006 },
  durationMs: 10_000,
  faults: [],
  checks: [{ name: 'pnl-matches-venue', options: { settleMs: 500, tolerance: 0.01 } }],
});
