import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-feature-source-typo-fails-fast',
  flaw: 'feature-source-falls-back',
  findings: ['003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close'],
  flawed: 'order',
  stderr: /invalid configuration: REFBOT_VOL_SOURCE='closee' must be one of open, high, low, close, hl2/,
  seed: 48,
});
