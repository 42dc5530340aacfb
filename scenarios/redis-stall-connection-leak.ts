import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Redis stops answering for 10 s (CLIENT PAUSE ALL), so every renewal of the bot's leader lock
 * times out. A Redis client without a pool that "reconnects" by dialling a new connection and
 * abandoning the stalled one (002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client)
 * leaks a socket per timeout; a hardened one closes the failed connection first, and its open fds
 * stay flat.
 */
export default defineScenario({
  id: 'redis-stall-connection-leak',
  title: 'Repeated Redis command timeouts leak no connections',
  description:
    'From 3 s after the bot is ready, for 10 s, Redis answers no command (redis-pause: CLIENT PAUSE ALL, connections stay open), ' +
    'so each leader-lock renewal (refbot: every 0.5 s, 1 s timeout) fails, about 6 of them. Passes when, from the first resource sample ' +
    '2 s after ready to the end of the window, the bot’s open fds grow by at most 3 (threads by at most 20, RSS by at most 50%).',
  findings: ['002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [{ kind: 'redis-pause', at: 3000, params: { durationMs: 10_000 } }],
  checks: [{ name: 'bounded-resources', options: { warmupMs: 2000, maxFdGrowth: 3, maxThreadGrowth: 20, maxRssGrowthPct: 50, minSamples: 10 } }],
});
