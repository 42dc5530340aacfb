import { defineScenario } from '../harness/core/scenario.ts';

const LOSS = 'lost|dropped|discarded|not (?:written|delivered|saved)';

/**
 * The bot's alert file becomes unwritable for 4 s (a directory takes its path, as on a full disk or
 * a read-only remount) and the operator pulls the kill switch meanwhile, so the bot raises a halt
 * alert it cannot write. 000_2ae31cbfe79758d1.txt#E-L6: the audited event logger cleared its
 * pending batch on a write error; acceptance "move items back to queue on error, or log count of
 * lost items". At the end of the window the alert file and the operator log are scanned: the alert
 * must be in the file, or reported lost in the log.
 */
export default defineScenario({
  id: 'alert-file-unwritable-alerts-kept',
  title: 'The bot’s alert file is unwritable while it raises a halt alert',
  description:
    'state-file-unwritable on STATE_DIR/refbot-alerts.jsonl at 3 s for 4 s; kill-switch-file refbot.kill at 4 s for 0.5 s (a halt alert); ' +
    'target-output-scan of refbot-alerts.jsonl and refbot-ops.log at the window end (12 s). ' +
    'Passes when every alert raised during the outage is in the alert file by then, or the operator log reports it lost (by text or count).',
  findings: ['000_2ae31cbfe79758d1.txt#E-L6'],
  suites: ['nightly'],
  requires: ['alerts', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'target-output-scan', at: 500, params: { stateFiles: ['refbot-alerts.jsonl', 'refbot-ops.log'], grep: `^\\{"atMs"|${LOSS}`, maxLines: 2000 } },
    { kind: 'state-file-unwritable', at: 3000, params: { file: 'refbot-alerts.jsonl', durationMs: 4000 } },
    { kind: 'kill-switch-file', at: 4000, params: { file: 'refbot.kill', durationMs: 500 } },
  ],
  checks: [{ name: 'alerts-survive-sink-outage', options: { loss: LOSS } }],
});
