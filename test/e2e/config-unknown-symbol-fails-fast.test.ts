import { configFailsFastSuite } from './config-fails-fast-suite.ts';

configFailsFastSuite({
  scenario: 'config-unknown-symbol-fails-fast',
  flaw: 'unknown-symbol-keeps-running',
  findings: ['001_0474a2fd1532b929.txt#C3'],
  flawed: 'running',
  stderr: /startup failed: InstrumentError: SYMBOLS=NOPEUSDT: symbol NOPEUSDT not in exchangeInfo/,
  seed: 13,
});
