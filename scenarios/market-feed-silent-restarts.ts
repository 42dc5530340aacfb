import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue keeps the bot's market socket open but silent for 14 s, so its feed watchdog restarts
 * the stream every couple of seconds. A bot that "reconnects" by building a new session and never
 * closing the old one (004_8a8a9a4995486b8f.txt#H-ADAPTER-02) leaks an open socket per restart;
 * a hardened one closes the old stream first, and its open fds stay flat.
 */
export default defineScenario({
  id: 'market-feed-silent-restarts',
  title: 'Repeated market-stream restarts leak no sockets',
  description:
    'From 3 s after the bot is ready, for 14 s, the venue sends no market data to it (venue-market-pause: sockets open, user stream alive), ' +
    'which makes a feed watchdog restart the stream several times. Passes when, from the first resource sample 2 s after ready to the end ' +
    'of the window, the bot’s open fds grow by at most 3 (threads by at most 20, RSS by at most 50%).',
  findings: ['004_8a8a9a4995486b8f.txt#H-ADAPTER-02'],
  suites: ['nightly'],
  requires: ['ws-market'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 20_000,
  faults: [{ kind: 'venue-market-pause', at: 3000, params: { durationMs: 14_000 } }],
  checks: [{ name: 'bounded-resources', options: { warmupMs: 2000, maxFdGrowth: 3, maxThreadGrowth: 20, maxRssGrowthPct: 50, minSamples: 10 } }],
});
