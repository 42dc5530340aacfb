import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's market-data WebSocket drops for 6 s in the middle of trading. A bot that clears its
 * prices on disconnect and falls back to its entry price keeps opening risk blind
 * (000_2ae31cbfe79758d1.txt#S-C2); a hardened one marks prices stale and stops opening risk
 * once they are older than its max age.
 */
export default defineScenario({
  id: 'ws-disconnect-stale-prices',
  title: 'Market WebSocket drops for 6 s while the bot trades',
  description:
    'Cuts the market-data link (open socket closed, reconnects refused) between 5 and 7 s after the bot is ready, for 6 s. ' +
    'Passes when no risk-increasing order reaches the venue while the bot’s last delivered price is older than 2 s.',
  findings: ['000_2ae31cbfe79758d1.txt#S-C2'],
  suites: ['smoke', 'nightly'],
  requires: ['ws-market', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [{ kind: 'ws-disconnect', link: 'market-ws', at: { minMs: 5000, maxMs: 7000 }, params: { durationMs: 6000 } }],
  checks: [{ name: 'no-risk-on-stale-market-data', options: { graceMs: 2000 } }],
});
