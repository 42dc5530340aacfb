import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Every order fills only half (2 of 4 slices, 150 ms apart), the rest expires. A bot that books
 * the order's full quantity on its first fill and keeps its own ledger beside the venue's position
 * (004_8a8a9a4995486b8f.txt#C-PORT-03, 004_8a8a9a4995486b8f.txt#H-ENG-04) trades on a phantom
 * position; a hardened one follows each execution's last-filled quantity and the venue's
 * ACCOUNT_UPDATE snapshots.
 */
export default defineScenario({
  id: 'partial-fills-position-drift',
  title: 'Orders fill partially and the rest expires',
  description:
    'From the start every order executes 2 of 4 slices 150 ms apart and the remainder expires (partial-fills). ' +
    'Passes when every position the bot reports at a quiet point (no order working, last order event 500 ms old) equals the venue position.',
  findings: ['004_8a8a9a4995486b8f.txt#C-PORT-03', '004_8a8a9a4995486b8f.txt#H-ENG-04'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [{ kind: 'partial-fills', at: 0, params: { slices: 4, intervalMs: 150, filledSlices: 2, rest: 'expire' } }],
  checks: [{ name: 'position-matches-venue', options: { settleMs: 500, tolerance: 1e-9 } }],
});
