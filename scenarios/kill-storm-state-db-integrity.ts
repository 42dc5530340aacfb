import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is SIGKILLed three times while it trades (restarted 0.5 s later each time, same
 * STATE_DIR), then its SQLite state database is inspected. A bot that shares one SQLite connection
 * between threads without a lock (004_8a8a9a4995486b8f.txt#C-INFRA-02) corrupts it under concurrent
 * order activity and kills, and its dedupe breaks: a restarted process re-sends order ids. A
 * hardened bot's database passes SQLite's integrity check, and no restarted process reuses an id or
 * trades before it has read its positions and open orders. Its JSON files (control file with its
 * API address and token, state, drawdown peak, halt), rewritten at every start and as it trades,
 * must be whole after the kills: a file written in place instead of replaced atomically is torn
 * by a kill mid-write (000_2ae31cbfe79758d1.txt#E-M5).
 */
export default defineScenario({
  id: 'kill-storm-state-db-integrity',
  title: 'Three kills while trading, then an integrity check of the state DB',
  description:
    'process-kill (SIGKILL, restart after 0.5 s) at 3 s, 6.5 s and 10 s; sqlite-integrity on refbot-journal.sqlite at 14 s. Passes when ' +
    'PRAGMA integrity_check answers ok, its JSON files (state-files-complete at 14 s) are whole, no restarted process re-sends a clientOrderId an earlier one used, and none trades before it has ' +
    'read its positions and open orders.',
  findings: ['004_8a8a9a4995486b8f.txt#C-INFRA-02', '000_2ae31cbfe79758d1.txt#E-M5'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [
    { kind: 'process-kill', at: 3000, params: { signal: 'SIGKILL', restartAfterMs: 500 } },
    { kind: 'process-kill', at: 6500, params: { signal: 'SIGKILL', restartAfterMs: 500 } },
    { kind: 'process-kill', at: 10_000, params: { signal: 'SIGKILL', restartAfterMs: 500 } },
    { kind: 'sqlite-integrity', at: 14_000, params: { file: 'refbot-journal.sqlite' } },
    {
      kind: 'state-files-complete',
      at: 14_000,
      params: { files: ['refbot-control.json', 'refbot-state.json', 'refbot-peak.json', 'refbot-halt.json'] },
    },
  ],
  checks: [{ name: 'crash-consistent-state' }],
});
