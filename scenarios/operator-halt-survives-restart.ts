import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The operator halts the bot at runtime through its control API (POST /halt, refbot: a 5 s
 * cooldown); a second later the process is SIGKILLed and restarted with the same STATE_DIR. A bot
 * that applies the runtime override to the running process only
 * (002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted: "runtime config overrides could be lost
 * across restarts") starts un-halted and opens risk at once; a hardened one persists the override,
 * restores it and resumes only after the cooldown.
 */
export default defineScenario({
  id: 'operator-halt-survives-restart',
  title: 'The bot is killed and restarted right after the operator halted it through its control API',
  description:
    'At 2.5 s an authorised POST /halt reaches the bot’s control API (control-api-halt, URL and token from STATE_DIR/refbot-control.json); ' +
    'at 3.5 s the bot is SIGKILLed and restarted 0.3 s later with the same STATE_DIR (process-kill). Passes when, once the bot has printed ' +
    'halt, no risk-increasing order of it reaches the venue until it prints resume, at least 4.5 s after the halt, whatever restarts happen in between.',
  findings: ['002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes', 'control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [
    { kind: 'control-api-halt', at: 2500, params: { file: 'refbot-control.json', reason: 'faultline: operator halt before maintenance' } },
    { kind: 'process-kill', at: 3500, params: { signal: 'SIGKILL', restartAfterMs: 300 } },
  ],
  checks: [{ name: 'halt-gates-all-orders', options: { minHaltMs: 4500 } }],
});
