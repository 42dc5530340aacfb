import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-invalid-value-fails-fast',
  flaw: 'invalid-config-falls-back-to-default',
  findings: ['002_3e6ca2bf6dfde12d.txt#R5', '001_0474a2fd1532b929.txt#C2'],
  flawed: 'order',
  stderr: /invalid configuration: REFBOT_MAX_NOTIONAL_USD='1000usd' is not a valid number/,
  seed: 11,
});
