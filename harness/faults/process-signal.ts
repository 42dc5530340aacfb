import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ProcessSignalParams {
  /** The stop request an orchestrator sends (systemd, Kubernetes, docker stop: SIGTERM; Ctrl-C: SIGINT). */
  signal: 'SIGTERM' | 'SIGINT';
  /** How long the bot may take to exit before it is SIGKILLed, as an orchestrator's grace period. */
  graceMs: number;
}

const POLL_MS = 20;

/**
 * A graceful-stop request mid-run: records `fault process.signal` (signal, pid, graceMs) the moment
 * the signal is sent, then watches the process. If it is still running after graceMs, records
 * `fault process.grace-exceeded` and SIGKILLs it, as an orchestrator would. The exit itself (code,
 * signal) is the runtime's `target exit` event. The instance stays down for the rest of the run.
 */
export const processSignal: FaultKind<ProcessSignalParams> = {
  name: 'process-signal',
  description: 'Ask the bot to stop (SIGTERM/SIGINT), give it graceMs to exit, then SIGKILL it',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('process-signal', raw, ['signal', 'graceMs']);
    const signal = raw.signal ?? 'SIGTERM';
    if (signal !== 'SIGTERM' && signal !== 'SIGINT')
      throw new ConfigError(`fault process-signal: signal must be SIGTERM or SIGINT, got ${JSON.stringify(signal)}`);
    const graceMs = raw.graceMs === undefined ? 5000 : msParam('process-signal', raw, 'graceMs', { min: 100, max: 600_000 });
    return { signal, graceMs };
  },
  async inject(ctx, target, params) {
    const t = ctx.target(target.instance);
    if (!t.running) throw new Error(`process-signal: ${target.instance} is not running`);
    const pid = t.pid;
    const base = { id: target.occurrence, signal: params.signal, pid, graceMs: params.graceMs };
    ctx.recorder.record('fault', 'process.signal', base, target.instance);
    t.signal(params.signal);
    const sentAt = ctx.recorder.now();
    // Watched in the background: the fault is in effect once the signal is sent.
    void (async () => {
      while (t.running && t.pid === pid && !ctx.signal.aborted) {
        const waited = ctx.recorder.now() - sentAt;
        if (waited >= params.graceMs) {
          ctx.recorder.record('fault', 'process.grace-exceeded', { ...base, waitedMs: Math.round(waited) }, target.instance);
          t.signal('SIGKILL');
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(POLL_MS, params.graceMs - waited)));
      }
    })();
    return { heal: async () => {} };
  },
};
