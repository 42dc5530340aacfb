import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The futures wallet holds dust of other assets beside USDT (BNB, USDC and BTC crumbs, as a real
 * account does). A bot that sweeps or values dust by pairing each asset with the quote currency
 * builds market names that do not exist ("USDTUSDT", 004_8a8a9a4995486b8f.txt#H-PORT-05) and gets
 * exchange errors on every sweep; a hardened one only names symbols exchangeInfo lists.
 */
export default defineScenario({
  id: 'dust-balances-symbols-listed',
  title: 'Dust of other assets in the wallet: no request for a made-up symbol',
  description:
    'The account lists BNB 0.0004, USDC 0.37 and BTC 0.0000081 beside its USDT (account.dust), no fault. Passes when no request of the ' +
    'bot is refused with -1121 Invalid symbol.',
  findings: ['004_8a8a9a4995486b8f.txt#H-PORT-05'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  account: { dust: { BNB: 0.0004, USDC: 0.37, BTC: 0.0000081 } },
  faults: [],
  checks: [{ name: 'symbols-listed' }],
});
