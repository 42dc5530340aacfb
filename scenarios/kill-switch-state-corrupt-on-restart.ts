import { defineScenario } from '../harness/core/scenario.ts';
import haltSurvivesRestart from './halt-survives-restart.ts';

/**
 * As halt-survives-restart (three rejected entries trip refbot's circuit breaker, then a SIGKILL
 * and a restart while halted), but between the kill and the restart the persisted halt
 * (STATE_DIR/refbot-halt.json) is turned into garbage, so the kill switch cannot start. A bot that
 * logs that failure and goes on trades without its kill switch while the halt is in force
 * (001_0474a2fd1532b929.txt#C5: "When KillSwitch.start() raises an exception ..., the exception is
 * caught, logged at WARNING level, and execution continues"); a hardened one fails closed: it sets
 * the file aside and stays halted for a full cooldown before it resumes.
 *
 * Timing on refbot: halted at ~6 s, killed at 8 s, file corrupted at 8.2 s, restarted at 8.5 s
 * (ready ~10 s); hardened resumes ~5 s after its restart and trades until 18 s.
 */
export default defineScenario({
  ...haltSurvivesRestart,
  id: 'kill-switch-state-corrupt-on-restart',
  title: 'The kill switch cannot start after a restart: its halt state is unreadable',
  description:
    'POST /fapi/v1/order answers 400 -4131 from 1.5 s for 6 s (rest-error); at 8 s the bot is SIGKILLed (process-kill, restart 0.5 s later), ' +
    'at 8.2 s STATE_DIR/refbot-halt.json is overwritten with garbage (state-file-corrupt). Passes when, once the bot has printed halt, no ' +
    'risk-increasing order of it reaches the venue until it prints resume, at least 4.5 s after the halt, whatever restarts happen in between.',
  findings: ['001_0474a2fd1532b929.txt#C5'],
  durationMs: 18_000,
  faults: [...haltSurvivesRestart.faults, { kind: 'state-file-corrupt', at: 8200, params: { file: 'refbot-halt.json', mode: 'garbage' } }],
});
