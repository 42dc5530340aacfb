import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's WebSocket links are reset (TCP RST) three times: the market link, the user-data link,
 * then both at once, so several parts of the bot see a failure together. A recovery routine whose
 * re-entry guard is a check-then-set without a lock (004_8a8a9a4995486b8f.txt#H-ADAPTER-01) runs
 * once per caller and each run opens its own connection; a hardened bot recovers each stream once.
 */
export default defineScenario({
  id: 'link-resets-one-recovery',
  title: 'Link resets: each lost stream is recovered by one connection',
  description:
    'link-reset (500 ms) on market-ws at 2 s, on user-ws at 5 s, and on both at 8 s. ' +
    'Passes when, after each reset, no two connections of the bot carrying the same data (two user streams, or two market connections with a common stream) stay open together for more than 2000 ms.',
  findings: ['004_8a8a9a4995486b8f.txt#H-ADAPTER-01'],
  suites: ['nightly'],
  requires: ['ws-market', 'ws-user'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [
    { kind: 'link-reset', link: 'market-ws', at: 2000, params: { durationMs: 500 } },
    { kind: 'link-reset', link: 'user-ws', at: 5000, params: { durationMs: 500 } },
    { kind: 'link-reset', link: 'market-ws', at: 8000, params: { durationMs: 500 } },
    { kind: 'link-reset', link: 'user-ws', at: 8000, params: { durationMs: 500 } },
  ],
  checks: [{ name: 'one-recovery-at-a-time', options: { overlapMs: 2000 } }],
});
