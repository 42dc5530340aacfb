import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's diff-depth stream loses events twice: at 4 s three depthUpdate events are dropped (a
 * pu/u sequence gap), at 8.5 s the venue closes its market connections and it reconnects. A bot
 * that applies diffs whatever their pu, or that resumes its old book after the reconnect, keeps
 * opening risk on a book that missed events (001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars);
 * a hardened one rebuilds the book from GET /fapi/v1/depth each time before opening risk again.
 */
export default defineScenario({
  id: 'depth-gap-resnapshot',
  title: 'The diff-depth stream skips events, then reconnects',
  description:
    'At 4 s the venue drops the bot’s next 3 depthUpdate events (depth-gap: the next one has pu != the last u); at 8.5 s it closes the bot’s ' +
    'market connections with 1001 (ws-close). Passes when, for a bot subscribed to <symbol>@depth, no risk-increasing order reaches the venue ' +
    'more than 1 s after its book could be known to be out of sync (the first event after the gap, the close, a new connection) and before a ' +
    'GET /fapi/v1/depth that rebuilds it.',
  findings: ['001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars'],
  suites: ['nightly'],
  requires: ['ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [
    { kind: 'depth-gap', at: 4000, params: { count: 3 } },
    { kind: 'ws-close', at: 8500, params: { stream: 'market', code: 1001, reason: 'going away' } },
  ],
  checks: [{ name: 'depth-book-in-sync', options: { graceMs: 1000 } }],
});
