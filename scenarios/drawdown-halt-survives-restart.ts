import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The account's balance reads show a 70% loss from 2 s on, so the bot's drawdown kill switch
 * halts it; while halted the process is SIGKILLed and restarted with the same STATE_DIR. A bot that
 * keeps its peak equity in memory only (001_0474a2fd1532b929.txt#M9: "A process restart or node
 * crash resets both to their initial values, meaning the drawdown protection ... start[s] over from
 * zero") takes the reduced balance as its new peak, sees no drawdown and opens risk; a hardened one
 * restores its peak and stays halted.
 */
export default defineScenario({
  id: 'drawdown-halt-survives-restart',
  title: 'The bot is killed and restarted while its drawdown kill switch holds it halted',
  description:
    'From 2 s after the bot is ready to the end of the window, its balance reads (GET /fapi/v2|v3/balance) answer 3,000 USDT instead of about ' +
    '10,000 (account-balance-glitch without count; refbot halts after 2 such readings, about 2 s apart); at 9 s the bot is SIGKILLed and restarted ' +
    '0.5 s later with the same STATE_DIR (process-kill). Passes when, once the bot has printed halt, no risk-increasing order of it reaches the ' +
    'venue until it prints resume, whatever restarts happen in between.',
  findings: ['001_0474a2fd1532b929.txt#M9'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 17_000,
  faults: [
    { kind: 'account-balance-glitch', at: 2000, params: { balanceUsdt: 3000, durationMs: 14_500 } },
    { kind: 'process-kill', at: 9000, params: { signal: 'SIGKILL', restartAfterMs: 500 } },
  ],
  checks: [{ name: 'halt-gates-all-orders' }],
});
