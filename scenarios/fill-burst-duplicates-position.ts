import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Fills come in bursts and some arrive twice: every order executes in 8 slices 25 ms apart (8
 * TRADE executions, each followed by an ACCOUNT_UPDATE, within 200 ms), and at 3 s and 6 s the
 * venue delivers the bot's next 12 user-data events twice, as a replay does. A bot that applies a
 * duplicated execution twice (004_8a8a9a4995486b8f.txt#C-FSM-02) or drops part of a burst without
 * backfilling it (000_2ae31cbfe79758d1.txt#E-H7), or never applies the private stream's order and
 * execution updates at all (003_a7371304fd1017c8.txt#realtime-callback-api-mismatch-callers-use-on-order),
 * trades on a position the venue does not hold; a
 * hardened one applies each execution once and lets the venue's position snapshots correct it.
 */
export default defineScenario({
  id: 'fill-burst-duplicates-position',
  title: 'Fills arrive in bursts, and twice',
  description:
    'partial-fills (8 slices, 25 ms apart) from the start; user-events-tamper duplicates the next 12 user-data events at 3 s and at 6 s. ' +
    'Passes when every position the bot reports at a quiet point (no order working, last order event 500 ms old) equals the venue position.',
  findings: [
    '004_8a8a9a4995486b8f.txt#C-FSM-02',
    '000_2ae31cbfe79758d1.txt#E-H7',
    '003_a7371304fd1017c8.txt#realtime-callback-api-mismatch-callers-use-on-order',
  ],
  suites: ['nightly'],
  requires: ['probes', 'ws-user', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    { kind: 'partial-fills', at: 0, params: { slices: 8, intervalMs: 25 } },
    { kind: 'user-events-tamper', at: 3000, params: { mode: 'duplicate', count: 12 } },
    { kind: 'user-events-tamper', at: 6000, params: { mode: 'duplicate', count: 12 } },
  ],
  checks: [{ name: 'position-matches-venue', options: { settleMs: 500, tolerance: 1e-9 } }],
});
