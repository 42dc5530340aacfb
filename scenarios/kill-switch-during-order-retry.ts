import { defineScenario } from '../harness/core/scenario.ts';

/**
 * An entry order gets a 503 (not executed, outcome unknown to the bot), so the bot must find out
 * what happened before it re-sends it; while it waits, the operator drops the kill file into its
 * STATE_DIR. A bot whose retry path does not ask the kill switch re-sends the entry while halted
 * (001_0474a2fd1532b929.txt#M1: "The retry timer callback invokes _execute_add() directly without
 * first checking _pause_trading or _circuit_breaker_active"); a hardened one gives the intent up.
 *
 * Timing on refbot (one step of LONG, FLAT, SHORT, FLAT per second from ready): the 503 window
 * takes the LONG entry at ~4 s; refbot looks the order up, waits until the lost request can no
 * longer execute (recvWindow 5 s) and re-sends at ~9.3 s; the kill file is there from 5 s to 8 s
 * and refbot's 5 s cooldown holds it halted until ~13 s.
 */
export default defineScenario({
  id: 'kill-switch-during-order-retry',
  title: 'The kill switch is pulled while an order waits for its retry',
  description:
    'POST /fapi/v1/order answers 503 -1001 for 1 s at 3.5 s (rest-error, not executed); the operator kill file STATE_DIR/refbot.kill is written at 5 s ' +
    'and removed at 8 s (kill-switch-file). Passes when no risk-increasing order of the bot reaches the venue from its halt (or the kill file + 1 s) ' +
    'until it resumes, at least 4.5 s after the halt.',
  findings: ['001_0474a2fd1532b929.txt#M1'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 15_000,
  faults: [
    {
      kind: 'rest-error',
      at: 3500,
      params: {
        durationMs: 1000,
        method: 'POST',
        path: '/fapi/v1/order',
        status: 503,
        code: -1001,
        msg: 'Internal error; unable to process your request. Please try again.',
      },
    },
    { kind: 'kill-switch-file', at: 5000, params: { file: 'refbot.kill', durationMs: 3000, content: 'operator: stop trading' } },
  ],
  checks: [{ name: 'halt-gates-all-orders', options: { reactMs: 1000, minHaltMs: 4500 } }],
});
