import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-file-missing-fails-fast',
  flaw: 'config-file-missing-ignored',
  findings: ['002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_CONFIG_FILE='[^']*refbot\.json' cannot be loaded: \[Errno 2\] No such file/,
  seed: 41,
});
