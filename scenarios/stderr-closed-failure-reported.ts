import { defineScenario } from '../harness/core/scenario.ts';

const MENTIONS = 'stderr|stdout|terminal|console|broken pipe|EPIPE';

/**
 * The bot's terminal goes away mid-run: at 4 s the harness closes its end of the bot's stderr
 * pipe, as when the journal, the `| tee` or the SSH session the bot logs to dies, so every later
 * log write there fails. 000_2ae31cbfe79758d1.txt#E-H2: the audited writer swallowed those failures
 * ("silently dropped while reporting success"); acceptance: "a warning is logged to the [durable]
 * sink". A scan of the bot's operator log (STATE_DIR/refbot-ops.log) from just before the close
 * looks for that warning; a bot that does not ignore SIGPIPE dies instead.
 */
export default defineScenario({
  id: 'stderr-closed-failure-reported',
  title: 'The bot’s stderr pipe is closed mid-run',
  description:
    'target-output-scan of STATE_DIR/refbot-ops.log from 3.9 s for 8 s (grep ' +
    MENTIONS +
    '); output-pipe-close of stderr at 4 s. ' +
    'Passes when the bot keeps running and its operator log names the failed terminal writes after the close.',
  findings: ['000_2ae31cbfe79758d1.txt#E-H2'],
  suites: ['nightly'],
  requires: ['output-pipes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    { kind: 'target-output-scan', at: 3900, params: { durationMs: 8000, stateFiles: ['refbot-ops.log'], grep: MENTIONS } },
    { kind: 'output-pipe-close', at: 4000, params: { stream: 'stderr' } },
  ],
  checks: [{ name: 'output-failures-reported', options: { mentions: MENTIONS } }],
});
