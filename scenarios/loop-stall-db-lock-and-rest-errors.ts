import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Two things the event loop must never wait for: the bot's SQLite journal is locked by another
 * connection for 3 s, and later the REST endpoint the loop polls (GET /fapi/v1/ticker/bookTicker)
 * answers 503 for 3 s. A bot that writes SQLite on the loop thread without WAL and with a 5 s busy
 * timeout (000_2ae31cbfe79758d1.txt#S-H4, #E-H3), or retries REST with time.sleep() on the loop
 * (000_2ae31cbfe79758d1.txt#E-H4), stops beating for seconds; a hardened one writes from a
 * writer thread and makes one bounded async try. Last, that endpoint answers 2.5 s late for 3 s:
 * a bot whose REST worker holds a lock the loop also needs across its HTTP call
 * (004_8a8a9a4995486b8f.txt#H-ENG-05, #C-ADAPTER-01) blocks the loop until the answer comes.
 */
export default defineScenario({
  id: 'loop-stall-db-lock-and-rest-errors',
  title: 'The bot’s SQLite journal is locked, then a polled REST endpoint fails, then answers late',
  description:
    'sqlite-lock on STATE_DIR/refbot-journal.sqlite at 3 s for 3 s, then rest-error (503) on GET /fapi/v1/ticker/bookTicker at 8 s for 3 s, ' +
    'then rest-slow (2.5 s) on the same endpoint at 13 s for 3 s. ' +
    'Passes when no gap between two heartbeat probes of the bot (nor from the last one to the window end) exceeds 1000 ms.',
  findings: [
    '000_2ae31cbfe79758d1.txt#S-H4',
    '000_2ae31cbfe79758d1.txt#E-H3',
    '000_2ae31cbfe79758d1.txt#E-H4',
    '004_8a8a9a4995486b8f.txt#H-ENG-05',
    '004_8a8a9a4995486b8f.txt#C-ADAPTER-01',
  ],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 18_000,
  faults: [
    { kind: 'sqlite-lock', at: 3000, params: { file: 'refbot-journal.sqlite', durationMs: 3000 } },
    { kind: 'rest-error', at: 8000, params: { durationMs: 3000, method: 'GET', path: '/fapi/v1/ticker/bookTicker', status: 503 } },
    { kind: 'rest-slow', at: 13_000, params: { durationMs: 3000, delayMs: 2500, method: 'GET', path: '/fapi/v1/ticker/bookTicker' } },
  ],
  checks: [{ name: 'loop-never-stalls', options: { maxGapMs: 1000 } }],
});
