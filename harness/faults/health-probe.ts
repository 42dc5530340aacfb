import { ConfigError } from '../core/errors.ts';
import { readControlFile } from './control-file.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface HealthProbeParams {
  /** How long to keep asking. */
  durationMs: number;
  /** The bot's control file in its STATE_DIR: JSON {"url": "http://127.0.0.1:<port>", "token": "..."}. */
  file: string;
  /** The health endpoint's path on the control URL (default /health). */
  path: string;
  /** One request every intervalMs (default 200). */
  intervalMs: number;
  /** A request not answered within timeoutMs counts as no answer (default 500), as a monitor's timeout would. */
  timeoutMs: number;
  /** Send the control file's token as a Bearer token (default true). */
  auth: boolean;
}

/** `fault health.answer`: one health request and what came back (status 0: no answer in time). */
export interface HealthAnswerData {
  id: string;
  path: string;
  status: number;
  /** Milliseconds from the request to its answer (or to giving up). */
  ms: number;
  /** The first 200 characters of the answer's body. */
  body: string;
  error?: string;
}

const BODY_CHARS = 200;

/**
 * A monitor asks the bot's health endpoint, as a load balancer, Kubernetes probe or uptime check
 * would: GET <control url><path> every intervalMs for durationMs, each request bounded by
 * timeoutMs, recording every answer as `fault health.answer` (HealthAnswerData). The URL (and, with
 * auth, the Bearer token) come from the control file the bot writes in its STATE_DIR; only
 * loopback URLs are used. The probe only observes: it impairs nothing, and check health-tells-truth
 * judges the answers against what the other faults cut off (002_3e6ca2bf6dfde12d.txt#P3-3).
 * Fails (fault.error) when the control file is missing or unreadable.
 */
export const healthProbe: FaultKind<HealthProbeParams> = {
  name: 'health-probe',
  description: 'Poll the bot’s health endpoint on its control API every intervalMs for durationMs and record each answer (status 0 = none in time)',
  links: [],
  parse(raw) {
    onlyKeys('health-probe', raw, ['durationMs', 'file', 'path', 'intervalMs', 'timeoutMs', 'auth']);
    const path = raw.path ?? '/health';
    if (typeof path !== 'string' || !path.startsWith('/')) throw new ConfigError('fault health-probe: path must start with "/"');
    const auth = raw.auth ?? true;
    if (typeof auth !== 'boolean') throw new ConfigError('fault health-probe: auth must be true or false');
    return {
      durationMs: msParam('health-probe', raw, 'durationMs', { min: 1 }),
      file: stateFileParam('health-probe', raw, 'file'),
      path,
      intervalMs: raw.intervalMs === undefined ? 200 : msParam('health-probe', raw, 'intervalMs', { min: 10, max: 60_000 }),
      timeoutMs: raw.timeoutMs === undefined ? 500 : msParam('health-probe', raw, 'timeoutMs', { min: 10, max: 60_000 }),
      auth,
    };
  },
  async inject(ctx, target, p) {
    const control = readControlFile('health-probe', ctx.target(target.instance).stateDir, p.file);
    const url = new URL(p.path, control.url);
    const headers: Record<string, string> = p.auth ? { authorization: `Bearer ${control.token}` } : {};
    const stop = new AbortController();
    const signal = AbortSignal.any([ctx.signal, stop.signal]);
    const ask = async (): Promise<void> => {
      const t0 = performance.now();
      const data: HealthAnswerData = { id: target.occurrence, path: p.path, status: 0, ms: 0, body: '' };
      try {
        const res = await fetch(url, { headers, signal: AbortSignal.any([signal, AbortSignal.timeout(p.timeoutMs)]) });
        data.body = (await res.text()).slice(0, BODY_CHARS);
        data.status = res.status;
      } catch (err) {
        if (stop.signal.aborted || ctx.signal.aborted) return; // healed or torn down mid-request: not an answer
        data.error = String((err as Error).cause ?? (err as Error).message);
      }
      data.ms = Math.round(performance.now() - t0);
      ctx.recorder.record('fault', 'health.answer', data as unknown as Record<string, unknown>, target.instance);
    };
    const loop = (async () => {
      while (!signal.aborted) {
        const next = performance.now() + p.intervalMs;
        await ask();
        const wait = next - performance.now();
        if (wait > 0 && !signal.aborted) await new Promise<void>((r) => setTimeout(r, wait).unref?.());
      }
    })();
    return healOnce(async () => {
      stop.abort();
      await loop;
    });
  },
};
