import { defineScenario } from '../harness/core/scenario.ts';

/**
 * One balance reading goes wrong: the bot's next GET /fapi/v2/balance answers 3,000 USDT instead
 * of about 10,000 (a 70% "drawdown"), then the real balance is back. A kill switch that fires on a
 * single anomalous reading (001_0474a2fd1532b929.txt#M20: "a single transient metric can trigger the
 * irreversible kill switch") halts the bot for good; a hardened one waits for a second reading to
 * confirm the breach, finds the balance back, and trades on.
 */
export default defineScenario({
  id: 'balance-glitch-no-kill',
  title: 'One anomalous balance reading does not fire the drawdown kill switch',
  description:
    'From 3 s after the bot is ready, its next balance read (GET /fapi/v2|v3/balance) answers 3,000 USDT, once (account-balance-glitch, count 1); ' +
    'every other read answers the real balance. Passes when the bot does not halt (halt probe, reason drawdown) right after fewer than 2 ' +
    'anomalous readings in a row (refbot reads its balance before each risk-increasing order, about every 2 s; its limit is a 50% drawdown).',
  findings: ['001_0474a2fd1532b929.txt#M20'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [{ kind: 'account-balance-glitch', at: 3000, params: { balanceUsdt: 3000, count: 1, durationMs: 10_000 } }],
  checks: [{ name: 'halt-needs-confirmation', options: { confirmations: 2, reasons: ['drawdown'] } }],
});
