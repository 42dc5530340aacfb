import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'foreign-credentials-fails-fast',
  flaw: 'credentials-retried',
  findings: ['001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation'],
  flawed: 'running',
  stderr: /startup failed: CredentialsError: VENUE_API_KEY rejected by the venue \(-2015 Invalid API-key, IP, or permissions for action\)/,
  seed: 45,
});
