import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-price-age-beyond-bound-fails-fast',
  flaw: 'week-long-price-age-bound',
  findings: ['000_2ae31cbfe79758d1.txt#E-H9'],
  flawed: 'order',
  stderr: /invalid configuration: REFBOT_MAX_PRICE_AGE_MS='86400000' must be between 1 and 3\.6e\+06/,
  seed: 12,
});
