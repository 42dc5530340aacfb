import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator pulls the kill switch, and the bot is asked to stop (SIGTERM) the moment it says it
 * halted. An alert worker with no graceful shutdown drops whatever is still queued when the process
 * exits (000_2ae31cbfe79758d1.txt#E-M6: no sentinel, no atexit drain), so the operator never hears
 * of the halt; a hardened bot drains its alert queue before it exits.
 */
export default defineScenario({
  id: 'halt-then-sigterm-alert-delivered',
  title: 'SIGTERM right after a kill-switch halt: the halt alert still goes out',
  description:
    'The operator kill file STATE_DIR/refbot.kill is written at 3 s (kill-switch-file); process-signal SIGTERM (5000 ms grace) fires on the bot’s ' +
    'halt probe. Passes when an alert about the halt reaches the bot’s alert sink within 2 s of the halt, before it exits, and the bot exits 0 within the grace.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M6'],
  suites: ['nightly'],
  requires: ['probes', 'alerts'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 9000,
  faults: [
    { kind: 'kill-switch-file', at: 3000, params: { file: 'refbot.kill', durationMs: 5000, content: 'operator: stop trading' } },
    { kind: 'process-signal', on: { event: 'probe.halt' }, params: { signal: 'SIGTERM', graceMs: 5000 } },
  ],
  checks: [{ name: 'halt-alerts-operator', options: { alertMs: 2000 } }, { name: 'clean-sigterm' }],
});
