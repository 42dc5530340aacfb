import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-unknown-option-fails-fast',
  flaw: 'unknown-option-ignored',
  findings: ['002_3e6ca2bf6dfde12d.txt#R5'],
  flawed: 'order',
  stderr: /REFBOT_MAX_NOTIONAL='50' is not a refbot option \(did you mean REFBOT_MAX_NOTIONAL_USD\?\)/,
  seed: 17,
});
