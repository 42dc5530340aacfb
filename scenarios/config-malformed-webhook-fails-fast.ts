import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with an alert webhook URL that has no scheme
 * ("hooks.slack.com/services/..."). A bot that does not validate the webhook URL before use
 * (001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use) starts and trades, and
 * finds out only when its first alert, the one that matters, fails to send; a hardened one exits
 * non-zero at once naming the variable.
 */
export default defineScenario({
  id: 'config-malformed-webhook-fails-fast',
  title: 'Started with a malformed alert webhook URL',
  description:
    'Every instance is started with REFBOT_ALERT_WEBHOOK_URL=hooks.slack.com/services/T0AL3RTS/B0DESK/ops-channel-token (no scheme). Passes when it exits ' +
    'non-zero within 5 s, its stderr names the variable or the value, and it places no order; fails when it accepts the URL, becomes ready and trades.',
  findings: ['001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { REFBOT_ALERT_WEBHOOK_URL: 'hooks.slack.com/services/T0AL3RTS/B0DESK/ops-channel-token' }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
