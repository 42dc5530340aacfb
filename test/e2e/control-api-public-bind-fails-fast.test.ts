import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'control-api-public-bind-fails-fast',
  flaw: 'control-host-unchecked',
  findings: ['000_2ae31cbfe79758d1.txt#T-M7', '001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_CONTROL_HOST='0\.0\.0\.0' must be a loopback address/,
  seed: 44,
});
