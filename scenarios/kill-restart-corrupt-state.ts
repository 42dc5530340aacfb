import { defineScenario } from '../harness/core/scenario.ts';

/**
 * kill -9 while the bot holds a position, a state file torn as a crash mid-write leaves it, and a
 * supervisor restart. 300 ms after the bot's first order fills (refbot's LONG step: a long
 * position is open) the process is SIGKILLed; 1000 ms after the fill its order-id state
 * (refbot-state.json) is truncated to half; 1500 ms after the kill it is restarted with the same
 * environment and STATE_DIR. The restarted bot must not replay clientOrderIds of the killed one
 * (004_8a8a9a4995486b8f.txt#C-FSM-04, #C-FSM-03: the torn file must be rejected or repaired, not
 * trusted or silently reset) and must read its position and open orders before it trades again
 * (004_8a8a9a4995486b8f.txt#C-FSM-01).
 */
export default defineScenario({
  id: 'kill-restart-corrupt-state',
  title: 'kill -9 with a position open, state file torn, restart',
  description:
    'process-kill SIGKILL 300 ms after the bot’s first filled order (a position is open), restarted 1500 ms later with the same STATE_DIR; ' +
    'in between, state-file-corrupt truncates refbot-state.json to half its bytes (a write torn by the crash). ' +
    'Passes when, after the restart, no order reuses a clientOrderId of the killed process and no order that is not reduce-only is sent ' +
    'before the bot has read its positions and open orders from the venue.',
  findings: ['004_8a8a9a4995486b8f.txt#C-FSM-01', '004_8a8a9a4995486b8f.txt#C-FSM-03', '004_8a8a9a4995486b8f.txt#C-FSM-04'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'process-kill', on: { event: 'order.filled', nth: 1, delayMs: 300 }, params: { signal: 'SIGKILL', restartAfterMs: 1500 } },
    { kind: 'state-file-corrupt', on: { event: 'order.filled', nth: 1, delayMs: 1000 }, params: { file: 'refbot-state.json', mode: 'truncate' } },
  ],
  checks: [{ name: 'crash-consistent-state' }],
});
