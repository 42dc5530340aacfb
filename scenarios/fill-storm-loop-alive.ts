import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Fast ticks (50 per second) while every order fills in 10 slices 40 ms apart, so executions, exits
 * and position closes keep arriving while the bot evaluates its positions and decides its next
 * order. Bots that share position state between threads without a lock crash on a dict changed
 * during iteration (004_8a8a9a4995486b8f.txt#C-ENG-02: exits filling while positions are evaluated;
 * #C-ENG-03: positions closing while exits are evaluated) or deadlock on two locks taken in
 * opposite orders by the fill handler and the loop (#C-PORT-02). From outside: the loop keeps
 * beating, the process stays up, and at every quiet point the bot's position is the venue's (no
 * position skipped).
 */
export default defineScenario({
  id: 'fill-storm-loop-alive',
  title: 'Fast ticks and sliced fills: the loop never dies or deadlocks',
  description:
    'Market ticks every 20 ms; from the start every order executes in 10 slices 40 ms apart (partial-fills) for the 30 s window. ' +
    'Passes when no gap between two heartbeat probes exceeds 1000 ms, the process never exits, and every position the bot reports at a ' +
    'quiet point equals the venue position.',
  findings: ['004_8a8a9a4995486b8f.txt#C-ENG-02', '004_8a8a9a4995486b8f.txt#C-ENG-03', '004_8a8a9a4995486b8f.txt#C-PORT-02'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 20, volPerTick: 0.0001 },
  durationMs: 30_000,
  faults: [{ kind: 'partial-fills', at: 0, params: { slices: 10, intervalMs: 40 } }],
  checks: [
    { name: 'loop-never-stalls', options: { maxGapMs: 1000 } },
    { name: 'position-matches-venue', options: { settleMs: 500, tolerance: 1e-9 } },
  ],
});
