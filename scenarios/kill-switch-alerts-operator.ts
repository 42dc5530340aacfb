import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator pulls the kill switch (fault kill-switch-file) while the bot trades. The bot must
 * halt and tell the operator: an alert about the halt must reach its alert sink (the target's
 * `alert` probe) within 2 s. 001_0474a2fd1532b929.txt#H4 and #C6: the kill switch's alert was sent
 * from its own thread through asyncio.get_event_loop(), which fails there, so halts went unreported.
 */
export default defineScenario({
  id: 'kill-switch-alerts-operator',
  title: 'A kill-switch halt is alerted to the operator',
  description:
    'The operator kill file STATE_DIR/refbot.kill is written at 3 s and removed at 6 s (kill-switch-file). ' +
    'Passes when every halt of the bot is followed within 2 s by an alert about it on the bot’s alert sink.',
  findings: ['001_0474a2fd1532b929.txt#H4', '001_0474a2fd1532b929.txt#C6'],
  suites: ['nightly'],
  requires: ['probes', 'alerts'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 9000,
  faults: [{ kind: 'kill-switch-file', at: 3000, params: { file: 'refbot.kill', durationMs: 3000, content: 'operator: stop trading' } }],
  checks: [{ name: 'halt-alerts-operator', options: { alertMs: 2000 } }],
});
