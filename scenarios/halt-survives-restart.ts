import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue rejects every order for 6 s, so the bot's circuit breaker halts it (refbot: 3
 * consecutive rejections, cooldown 5 s); during the halt the process is SIGKILLed and restarted
 * with the same STATE_DIR. A bot that keeps its halt in memory only starts un-halted and opens risk
 * at once (001_0474a2fd1532b929.txt#M9: "A process restart or node crash resets both to their
 * initial values, meaning the drawdown protection ... start[s] over from zero"); a hardened one
 * restores the halt and resumes only after its cooldown. The same kill-during-cooldown is the
 * acceptance of 004_8a8a9a4995486b8f.txt#H-PORT-02 (cooldowns missing after a restart because the
 * dict was modified while it was saved): whatever loses the cooldown, the restarted bot trades early.
 *
 * Timing on refbot (LONG, FLAT, SHORT, FLAT, one step per second; flat FLAT steps send nothing):
 * rejected entries at ~2, ~4 and ~6 s trip the breaker at ~6 s, halted until ~11 s; the kill at
 * 8 s and restart at 8.5 s bring it back (ready) at ~10 s.
 */
export default defineScenario({
  id: 'halt-survives-restart',
  title: 'The bot is killed and restarted while its circuit breaker holds it halted',
  description:
    'POST /fapi/v1/order answers 400 -4131 (PERCENT_PRICE, not executed) from 1.5 s for 6 s (rest-error); at 8 s the bot is SIGKILLed and ' +
    'restarted 0.5 s later with the same STATE_DIR (process-kill). Passes when, once the bot has printed halt, no risk-increasing order of it ' +
    'reaches the venue until it prints resume, at least 4.5 s after the halt, whatever restarts happen in between.',
  findings: ['001_0474a2fd1532b929.txt#M9', '004_8a8a9a4995486b8f.txt#H-PORT-02'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [
    {
      kind: 'rest-error',
      at: 1500,
      params: {
        durationMs: 6000,
        method: 'POST',
        path: '/fapi/v1/order',
        status: 400,
        code: -4131,
        msg: "The counterparty's best price does not meet the PERCENT_PRICE filter limit.",
      },
    },
    { kind: 'process-kill', at: 8000, params: { signal: 'SIGKILL', restartAfterMs: 500 } },
  ],
  checks: [{ name: 'halt-gates-all-orders', options: { minHaltMs: 4500 } }],
});
