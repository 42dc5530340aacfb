import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is told to trade a symbol the venue does not list. A bot whose start-up returns early
 * when the instrument is not found, without flagging itself unhealthy
 * (001_0474a2fd1532b929.txt#C3), lives on half-initialised: never ready, never exiting. A hardened
 * one exits non-zero at once, saying which symbol is unknown.
 */
export default defineScenario({
  id: 'config-unknown-symbol-fails-fast',
  title: 'Started with a symbol the venue does not list',
  description:
    'Every instance is started with SYMBOLS=NOPEUSDT (not in exchangeInfo). Passes when it exits non-zero within 5 s naming the symbol; ' +
    'fails when it is still running, neither ready nor exited, 6 s after start.',
  findings: ['001_0474a2fd1532b929.txt#C3'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { SYMBOLS: 'NOPEUSDT' }, decideMs: 6000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
