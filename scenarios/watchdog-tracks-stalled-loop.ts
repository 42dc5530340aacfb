import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot runs under a systemd-style watchdog (NOTIFY_SOCKET, WATCHDOG_USEC for a 2 s period) and
 * its SQLite journal is locked by another connection for 6 s mid-run. 000_2ae31cbfe79758d1.txt#X-L4:
 * without `WatchdogSec` and sd_notify(WATCHDOG=1) "in main loop", a deadlocked daemon stays
 * "active". A bot that never pings fails whatever happens; one that pings from a timer thread
 * fails when its loop really stalls (a journal written on the loop thread, waiting on the lock),
 * because its pings go on; a hardened bot pings from its event loop, keeps pinging while the loop
 * runs, and would go quiet if it stalled.
 */
export default defineScenario({
  id: 'watchdog-tracks-stalled-loop',
  title: 'Under a 2 s watchdog, the bot’s SQLite journal is locked for 6 s',
  description:
    'Each instance gets NOTIFY_SOCKET and WATCHDOG_USEC=2000000. sqlite-lock on STATE_DIR/refbot-journal.sqlite at 4 s for 6 s. ' +
    'Passes when WATCHDOG=1 pings come at least every 2.5 s while the heartbeat probes show the loop running, ' +
    'and none comes more than 0.5 s after the last heartbeat of a stall longer than 2 s.',
  findings: ['000_2ae31cbfe79758d1.txt#X-L4'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders', 'sd-notify'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  watchdog: { periodMs: 2000 },
  faults: [{ kind: 'sqlite-lock', at: 4000, params: { file: 'refbot-journal.sqlite', durationMs: 6000 } }],
  checks: [{ name: 'watchdog-tracks-loop', options: { slackMs: 500 } }],
});
