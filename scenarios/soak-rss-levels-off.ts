import { defineScenario } from '../harness/core/scenario.ts';

const MINUTES = 15;

/**
 * A 15-minute soak: the bot trades position cycles (entry, exit, the other side, exit) the whole
 * time, one opening order a minute is refused (-2019), and the market WebSocket is reset every 90 s.
 * Unbounded in-memory growth leaks little per event, so only a long run shows it: a comparison list
 * or decision tracker that keeps every entry (000_2ae31cbfe79758d1.txt#E-H8, #S-H3), a dashboard
 * cache or live display that keeps every update (#T-L8, 004_8a8a9a4995486b8f.txt#H-UI-02), a retry
 * history keyed by order that is never pruned (001_0474a2fd1532b929.txt#M15), a state-transition
 * history per position cycle (004#H-FSM-02), arrays grown by append on every bar
 * (003_a7371304fd1017c8.txt#hot-path-uses-repeated-np-append-on-ohlcv). After a one-minute warm-up
 * the sampled RSS must level off (peak within 25 % of the first sample) and fds and threads stay
 * flat. The loop must keep beating the whole time: a periodic task that crashes the bot at its
 * first run minutes in (004_8a8a9a4995486b8f.txt#C-PORT-01, the budget health check) shows as a
 * death. Suite `soak` only: it is too long for nightly.
 */
export default defineScenario({
  id: 'soak-rss-levels-off',
  title: `${MINUTES}-minute soak: RSS, fds and threads level off`,
  description:
    `The bot trades for ${MINUTES} minutes; one opening order is refused (-2019) once a minute and the market WebSocket is reset every 90 s. ` +
    'Passes when, from 60 s after ready, the peak RSS stays within 25 % of the first sample, fds grow by at most 20 and threads by at most ' +
    '20, and no heartbeat gap exceeds 1000 ms.',
  findings: [
    '000_2ae31cbfe79758d1.txt#E-H8',
    '000_2ae31cbfe79758d1.txt#S-H3',
    '000_2ae31cbfe79758d1.txt#T-L8',
    '001_0474a2fd1532b929.txt#M15',
    '003_a7371304fd1017c8.txt#hot-path-uses-repeated-np-append-on-ohlcv',
    '004_8a8a9a4995486b8f.txt#H-FSM-02',
    '004_8a8a9a4995486b8f.txt#H-UI-02',
    '004_8a8a9a4995486b8f.txt#C-PORT-01',
  ],
  suites: ['soak'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: MINUTES * 60_000,
  faults: [
    ...Array.from({ length: MINUTES - 1 }, (_, i) => ({
      kind: 'order-reject',
      at: 30_000 + i * 60_000,
      params: { orders: 'opening', count: 1, durationMs: 5000, status: 400, code: -2019, msg: 'Margin is insufficient.' },
    })),
    ...Array.from({ length: Math.floor((MINUTES * 60 - 60) / 90) }, (_, i) => ({
      kind: 'link-reset',
      link: 'market-ws',
      at: 45_000 + i * 90_000,
      params: { durationMs: 500 },
    })),
  ],
  checks: [
    { name: 'bounded-resources', options: { warmupMs: 60_000, maxRssGrowthPct: 25, maxFdGrowth: 20, maxThreadGrowth: 20 } },
    { name: 'loop-never-stalls', options: { maxGapMs: 1000 } },
  ],
});
