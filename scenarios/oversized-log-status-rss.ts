import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator's log has grown to 64 MiB while a dashboard refreshes the bot's status (which shows
 * the log's last lines) several times a second. A log panel that reads the whole file before keeping its
 * tail holds the file (split into a million lines) in memory on every refresh
 * (004_8a8a9a4995486b8f.txt#M-UI-01: unbounded log buffer, "2-5 s freezes, 100MB+ memory spikes";
 * solution: read only the last N lines with seek). A hardened one reads a bounded tail.
 */
export default defineScenario({
  id: 'oversized-log-status-rss',
  title: 'A 64 MiB operator log while a dashboard polls the status',
  description:
    'From 4 s after the bot is ready, for 9 s, STATE_DIR/refbot-ops.log is a 64 MiB log of ~100-byte lines (input-file-oversized, format lines); ' +
    'a dashboard polls GET /status on the control API every 150 ms, as soon as the previous answer is in (health-probe, path /status, 3 s timeout). ' +
    'Passes when, from the first resource sample 2 s after ready to the end of the window, the bot’s RSS grows by at most 50% ' +
    '(fds and threads by at most 20).',
  findings: ['004_8a8a9a4995486b8f.txt#M-UI-01'],
  suites: ['nightly'],
  requires: ['rest-orders', 'control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [
    { kind: 'input-file-oversized', at: 4000, params: { file: 'refbot-ops.log', sizeMb: 64, durationMs: 9000, format: 'lines' } },
    { kind: 'health-probe', at: 3000, params: { durationMs: 11_000, file: 'refbot-control.json', path: '/status', intervalMs: 150, timeoutMs: 3000 } },
  ],
  checks: [{ name: 'bounded-resources', options: { warmupMs: 2000, maxFdGrowth: 20, maxThreadGrowth: 20, maxRssGrowthPct: 50, minSamples: 10 } }],
});
