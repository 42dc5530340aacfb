import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-section-scalar-fails-fast',
  flaw: 'config-section-scalar-ignored',
  findings: ['000_2ae31cbfe79758d1.txt#E-M2'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_CONFIG_FILE='[^']*refbot\.json': section 'risk' must be an object of VARIABLE: value, got 5/,
  seed: 42,
});
