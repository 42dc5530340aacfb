import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-value-above-cap-fails-fast',
  flaw: 'out-of-range-config-clamped',
  findings: ['000_2ae31cbfe79758d1.txt#E-M7'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_ORDER_TIMEOUT_MS='120000' must be between 100 and 60000/,
  seed: 22,
});
