import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-risk-override-out-of-range-fails-fast',
  flaw: 'risk-override-unchecked',
  findings: ['002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_MAX_DRAWDOWN_PCT='400' must be between 0\.01 and 100/,
  seed: 23,
});
