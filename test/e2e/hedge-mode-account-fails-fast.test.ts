import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'hedge-mode-account-fails-fast',
  flaw: 'position-mode-unchecked',
  findings: ['001_0474a2fd1532b929.txt#H2'],
  flawed: 'ready',
  stderr: /startup failed: PositionModeError: the account is in hedge mode \(dualSidePosition=true\); refbot trades one-way/,
  seed: 44,
});
