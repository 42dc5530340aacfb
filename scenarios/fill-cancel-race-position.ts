import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Every order fills 3 of 4 slices 30 ms apart and the venue cancels the rest right after the last
 * slice, so fill and cancel events of one symbol arrive back to back, on entries and on exits alike:
 * the bot re-enters after exits that only partly filled. A bot whose per-symbol state machine takes
 * a fill and a cancel at once without serialising them (004_8a8a9a4995486b8f.txt#H-FSM-03), or has
 * no state for a partly exited position (004_8a8a9a4995486b8f.txt#C-PORT-04), ends with a position
 * that is not the venue's.
 */
export default defineScenario({
  id: 'fill-cancel-race-position',
  title: 'Fills and cancels of one order race; partial exits, then re-entry',
  description:
    'From the start every order executes 3 of 4 slices 30 ms apart and the venue cancels the remainder (partial-fills, rest cancel). ' +
    'Passes when every position the bot reports at a quiet point (no order working, last order event 500 ms old) equals the venue position.',
  findings: ['004_8a8a9a4995486b8f.txt#H-FSM-03', '004_8a8a9a4995486b8f.txt#C-PORT-04'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [{ kind: 'partial-fills', at: 0, params: { slices: 4, intervalMs: 30, filledSlices: 3, rest: 'cancel' } }],
  checks: [{ name: 'position-matches-venue', options: { settleMs: 500, tolerance: 1e-9 } }],
});
