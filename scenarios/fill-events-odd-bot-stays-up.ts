import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Odd fill sequences must not take the bot down. Every order fills in 3 slices 200 ms apart
 * (partial-fills), and at 4 s the venue delivers the bot's next 6 user-data events twice
 * (user-events-tamper duplicate), as a replay after a reconnect does. A bot whose fill handler
 * re-raises what it cannot apply (001_0474a2fd1532b929.txt#M4: on_order_filled() re-raises into
 * the event loop), or whose diagnostic log line divides by the previous cumulative quantity, zero on
 * an order's first slice (001_0474a2fd1532b929.txt#C8), dies: its heartbeat stops and the process
 * exits inside the window. A hardened one skips the duplicate and keeps trading.
 */
export default defineScenario({
  id: 'fill-events-odd-bot-stays-up',
  title: 'Orders fill in slices, then fill events arrive twice',
  description:
    'partial-fills (3 slices, 200 ms apart) from the start; user-events-tamper duplicates the next 6 user-data events at 4 s. ' +
    'Passes when no gap between two heartbeat probes of the bot (nor from the last one to the window end) exceeds 1000 ms.',
  findings: ['001_0474a2fd1532b929.txt#M4', '001_0474a2fd1532b929.txt#C8'],
  suites: ['nightly'],
  requires: ['probes', 'ws-user', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'partial-fills', at: 0, params: { slices: 3, intervalMs: 200 } },
    { kind: 'user-events-tamper', at: 4000, params: { mode: 'duplicate', count: 6 } },
  ],
  checks: [{ name: 'loop-never-stalls', options: { maxGapMs: 1000 } }],
});
