import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue stops sending market data to the bot for 6 s while its sockets stay open and its user
 * stream keeps flowing: no disconnect, no error, just silence. A bot that only reacts to
 * disconnects keeps trading on its last price; 000_2ae31cbfe79758d1.txt#S-C2's acceptance criteria
 * (prices carry a timestamp, consumers ask with a max age) make it stop opening risk.
 */
export default defineScenario({
  id: 'market-data-silent-stale-prices',
  title: 'Market data goes silent for 6 s while the socket stays open',
  description:
    'The venue pauses market-stream messages to the bot between 5 and 7 s after it is ready, for 6 s (socket open, user stream alive). ' +
    'Passes when no risk-increasing order reaches the venue while the bot’s last delivered price is older than 2 s.',
  findings: ['000_2ae31cbfe79758d1.txt#S-C2'],
  suites: ['smoke', 'nightly'],
  requires: ['ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [{ kind: 'venue-market-pause', at: { minMs: 5000, maxMs: 7000 }, params: { durationMs: 6000 } }],
  checks: [{ name: 'no-risk-on-stale-market-data', options: { graceMs: 2000 } }],
});
