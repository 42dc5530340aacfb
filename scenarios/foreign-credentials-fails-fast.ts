import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with API credentials the venue does not know, as when testnet keys are paired
 * with a production URL or the reverse. Without cross-validating the keys against the venue it
 * talks to (001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation) a bot comes up
 * on public market data and fails every private call later, or runs half-initialised; a hardened
 * one checks its keys against the venue at start and refuses, saying so.
 */
export default defineScenario({
  id: 'foreign-credentials-fails-fast',
  title: 'Started with credentials of another environment',
  description:
    'Every instance is started with a VENUE_API_KEY / VENUE_API_SECRET pair the venue does not know (signed calls answer -2015). ' +
    'Passes when the bot exits non-zero within 5 s naming the key problem (API-key / -2015) and places no order.',
  findings: ['001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: {
    env: { VENUE_API_KEY: `testnet${'T'.repeat(57)}`, VENUE_API_SECRET: `testnet${'s'.repeat(57)}` },
    decideMs: 10_000,
    mentions: ['API-key', '-2015'],
  },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
