import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's SQLite journal is locked by another connection for 12 s, so every fill-reconciliation
 * pass over it fails ("database is locked"). A bot whose reconciliation opens its own connection
 * and closes it only on the happy path (000_2ae31cbfe79758d1.txt#E-C2) leaks the connection, and
 * its file descriptors, on every failed pass; a hardened one closes it on every path, and its
 * open fds stay flat.
 */
export default defineScenario({
  id: 'reconcile-db-lock-fd-leak',
  title: 'Failed reconciliation passes on a locked journal leak no file descriptors',
  description:
    'From 3 s after the bot is ready, for 12 s, another connection holds BEGIN EXCLUSIVE on STATE_DIR/refbot-journal.sqlite (sqlite-lock), ' +
    'so each reconciliation pass (refbot: every 0.5 s, 0.2 s busy timeout) fails, about 17 of them. Passes when, from the first resource ' +
    'sample 2 s after ready to the end of the window, the bot’s open fds grow by at most 8 (threads by at most 20, RSS by at most 50%). ' +
    'The fd bound leaves room for the REST/WS sockets a healthy bot opens and closes (hardened stays within +3), and is well below the ' +
    'one leaked connection (1-3 fds) per failed pass of a leaking bot.',
  findings: ['000_2ae31cbfe79758d1.txt#E-C2'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 18_000,
  faults: [{ kind: 'sqlite-lock', at: 3000, params: { file: 'refbot-journal.sqlite', durationMs: 12_000 } }],
  checks: [{ name: 'bounded-resources', options: { warmupMs: 2000, maxFdGrowth: 8, maxThreadGrowth: 20, maxRssGrowthPct: 50, minSamples: 10 } }],
});
