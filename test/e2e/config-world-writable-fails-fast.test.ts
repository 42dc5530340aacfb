import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-world-writable-fails-fast',
  flaw: 'config-world-writable-loaded',
  findings: ['000_2ae31cbfe79758d1.txt#E-M3'],
  flawed: 'order',
  stderr: /invalid configuration: .*REFBOT_CONFIG_FILE='[^']*refbot\.json' is world-writable \(mode 0o666\): refusing to load it/,
  seed: 43,
});
