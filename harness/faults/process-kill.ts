import { sleep } from '../core/abort.ts';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ProcessKillParams {
  /** SIGKILL (crash, OOM kill) or SIGTERM (orchestrator stop). */
  signal: 'SIGKILL' | 'SIGTERM';
  /** Restart the instance this long after the kill (a supervisor's restart); absent = stays down. */
  restartAfterMs?: number;
}

/**
 * Kills the instance's process group and optionally restarts it with the same environment and
 * STATE_DIR, so checks can see what survives a crash: journals, order ids, open orders, locks.
 */
export const processKill: FaultKind<ProcessKillParams> = {
  name: 'process-kill',
  description: 'Kill the bot with SIGKILL or SIGTERM and optionally restart it after restartAfterMs',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('process-kill', raw, ['signal', 'restartAfterMs']);
    const signal = raw.signal ?? 'SIGKILL';
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM')
      throw new ConfigError(`fault process-kill: signal must be SIGKILL or SIGTERM, got ${JSON.stringify(signal)}`);
    return raw.restartAfterMs === undefined ? { signal } : { signal, restartAfterMs: msParam('process-kill', raw, 'restartAfterMs') };
  },
  async inject(ctx, target, params) {
    const t = ctx.target(target.instance);
    t.signal(params.signal);
    if (params.restartAfterMs !== undefined) {
      await sleep(params.restartAfterMs, ctx.signal);
      await t.restart();
    }
    return { heal: async () => {} };
  },
};
