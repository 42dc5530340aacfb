import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Another connection holds the bot's SQLite store for 4 s, and meanwhile the market stream drops
 * and comes back, so the bot syncs its kline history again and writes it to that store. A
 * historical sync that writes with the store's connection directly instead of through the store's
 * locking write path (003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in:
 * "Sync writes use store.conn.execute(...) directly in _store_dataframe() / _update_metadata()
 * instead of HistoricalDataStore._write_operation() locking path") waits for the lock where it
 * runs, on the event loop; one whose writes serialise through the store's writer does not.
 */
export default defineScenario({
  id: 'kline-sync-beside-db-writer',
  title: 'The kline history is synced while another writer holds the bot’s SQLite store',
  description:
    'market.historyMinutes 120; sqlite-lock on STATE_DIR/refbot-journal.sqlite at 2 s for 4 s; ws-disconnect of market-ws at 2.5 s for 0.5 s ' +
    '(the reconnect re-runs the kline sync, which stores what it fetched). ' +
    'Passes when no gap between two heartbeat probes of the bot (nor from the last one to the window end) exceeds 1000 ms.',
  findings: ['003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in'],
  suites: ['nightly'],
  requires: ['probes', 'ws-market'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003, historyMinutes: 120 },
  durationMs: 10_000,
  faults: [
    { kind: 'sqlite-lock', at: 2000, params: { file: 'refbot-journal.sqlite', durationMs: 4000 } },
    { kind: 'ws-disconnect', link: 'market-ws', at: 2500, params: { durationMs: 500 } },
  ],
  checks: [{ name: 'loop-never-stalls', options: { maxGapMs: 1000 } }],
});
