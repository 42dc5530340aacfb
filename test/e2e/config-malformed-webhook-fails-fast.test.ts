import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-malformed-webhook-fails-fast',
  flaw: 'webhook-url-unvalidated',
  findings: ['001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_ALERT_WEBHOOK_URL='hooks\.slack\.com\/services\/T0AL3RTS\/B0DESK\/ops-channel-token' must be an http\(s\) URL/,
  seed: 24,
});
