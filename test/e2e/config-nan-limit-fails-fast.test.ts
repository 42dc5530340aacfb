import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-nan-limit-fails-fast',
  flaw: 'nan-config-accepted',
  findings: ['000_2ae31cbfe79758d1.txt#E-M4'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_MAX_DAILY_LOSS_USD='nan' must be finite/,
  seed: 21,
});
