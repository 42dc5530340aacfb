import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot runs with debug logging (REFBOT_LOG_LEVEL=debug) and trades; at the end of the window
 * everything it wrote to stdout/stderr is scanned for the API key and secret it was given (fault
 * target-output-scan). 001_0474a2fd1532b929.txt#M10: the alerter's DEBUG-logged URLs carried the
 * Telegram bot token, so turning on debug logging put a credential in the logs.
 */
export default defineScenario({
  id: 'debug-logging-no-secret-leak',
  title: 'Debug logging writes no credential',
  description:
    'refbot is started with REFBOT_LOG_LEVEL=debug (every REST request logged) and trades for 6 s; target-output-scan reads its ' +
    'stdout.log and stderr.log at the end of the window. Passes when no line contains the account’s API key or secret.',
  findings: ['001_0474a2fd1532b929.txt#M10'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 6000,
  startup: { env: { REFBOT_LOG_LEVEL: 'debug' }, decideMs: 15_000 },
  // grep: a few of the debug request lines are recorded (redacted) to show debug logging was on.
  faults: [{ kind: 'target-output-scan', at: 0, params: { grep: 'DEBUG .*request ', maxLines: 5 } }],
  checks: [{ name: 'no-secret-leak' }],
});
