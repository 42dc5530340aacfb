import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Someone trades the bot's account by hand: 300 ms after the bot's 3rd accepted order (which opens
 * a short of 0.016 in refbot's cycle) a MARKET SELL of 0.004 BTC that the bot did not place fills
 * on its account, taking the position to -0.020. The bot must adopt the venue's position, and say so: a book
 * correction applied without a line in the log hides the manual trade, the leak or the
 * liquidation behind it (004_8a8a9a4995486b8f.txt#H-PORT-04: budget drift auto-correction, "silent
 * correction masks root cause"; solution: audit logging before the correction).
 */
export default defineScenario({
  id: 'manual-trade-correction-logged',
  title: 'A manual trade moves the bot’s position: the correction is logged with its amount',
  description:
    'foreign-order MARKET SELL 0.004 BTCUSDT on the bot’s account 300 ms after its 3rd accepted order; target-output-scan of log lines (not JSON probe lines) ' +
    'matching /position/ (case-insensitive) from 2 s for 5.5 s. ' +
    'Passes when every change of the bot’s reported position (position probes at quiet points) beyond its own fills shows in such a line that names the amount.',
  findings: ['004_8a8a9a4995486b8f.txt#H-PORT-04'],
  suites: ['nightly'],
  requires: ['probes', 'rest-orders', 'ws-user'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [
    { kind: 'target-output-scan', at: 2000, params: { grep: '^(?!\\{).*position', durationMs: 5500 } },
    { kind: 'foreign-order', on: { event: 'order.accepted', nth: 3, delayMs: 300 }, params: { type: 'MARKET', side: 'SELL', qty: '0.004' } },
  ],
  checks: [{ name: 'corrections-logged', options: { settleMs: 500 } }],
});
