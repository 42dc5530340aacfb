import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot's account was switched to hedge mode (dualSidePosition true) before it starts. A one-way
 * strategy (orders without positionSide, one signed position per symbol) cannot run there: the venue
 * refuses its orders with -4061 and keeps two legs it cannot represent. A bot that never checks the
 * mode it runs in (001_0474a2fd1532b929.txt#H2: a silent fallback to a mode the strategy does not
 * support) starts, reports ready and runs anyway; a hardened one refuses to start, saying why.
 */
export default defineScenario({
  id: 'hedge-mode-account-fails-fast',
  title: 'Started on an account in hedge mode',
  description:
    'Every instance’s venue account starts in hedge mode (GET /fapi/v1/positionSide/dual answers dualSidePosition true). ' +
    'Passes when the bot exits non-zero within 5 s, its stderr names hedge mode (hedge / dualSidePosition), and it places no order; ' +
    'fails when it becomes ready and runs.',
  findings: ['001_0474a2fd1532b929.txt#H2'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  account: { dualSidePosition: true },
  startup: { env: {}, decideMs: 8000, mentions: ['hedge', 'dualSidePosition'] },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
