import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The account's equity, as the bot reads it, goes through a known path: 35 % below its peak (inside
 * refbot's 50 % limit), then 60 % below (beyond it), back to the peak, then a 10 % pullback. A kill
 * switch measured against the PnL peak instead of the account balance
 * (001_0474a2fd1532b929.txt#M6) fires at the wrong account drawdown; one whose equity peak is
 * mishandled after a halt and recovery (000_2ae31cbfe79758d1.txt#E-M11: never reset except by
 * clearing the kill switch) fires on the small pullback or not at all. A hardened bot halts on the
 * 60 % leg only (after its two confirming readings) and resumes on the recovery. A guard that
 * parses the balance answer with another endpoint's field names reads 0 and never halts
 * (003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade).
 */
export default defineScenario({
  id: 'drawdown-halt-at-balance-threshold',
  title: 'Drawdown, recovery and pullback: the kill switch fires at the configured account drawdown only',
  description:
    'Balance reads (GET /fapi/v2|v3/balance) answer 6,500 USDT from 2 s to 5 s, 4,000 USDT from 5 s to 10.5 s, the real ~10,000 until 13 s, ' +
    'then 9,000 USDT to 17 s (account-balance-glitch). Passes when the bot halts for drawdown within 2.5 s of two consecutive readings more ' +
    'than 50 % below the peak, and never halts for drawdown otherwise.',
  findings: ['001_0474a2fd1532b929.txt#M6', '000_2ae31cbfe79758d1.txt#E-M11', '003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 19_000,
  faults: [
    { kind: 'account-balance-glitch', at: 2000, params: { balanceUsdt: 6500, durationMs: 3000 } },
    { kind: 'account-balance-glitch', at: 5000, params: { balanceUsdt: 4000, durationMs: 5500 } },
    { kind: 'account-balance-glitch', at: 13_000, params: { balanceUsdt: 9000, durationMs: 4000 } },
  ],
  checks: [{ name: 'drawdown-halt-at-threshold', options: { thresholdPct: 50, confirmations: 2, haltWithinMs: 2500 } }],
});
