import { ConfigError } from '../core/errors.ts';
import { readControlFile } from './control-file.ts';
import { onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ControlApiHaltParams {
  /** The bot's control file in its STATE_DIR: JSON {"url": "http://127.0.0.1:<port>", "token": "..."}. */
  file: string;
  /** The operator's note sent as {"reason": ...}. */
  reason: string;
}

const TIMEOUT_MS = 3000;

/**
 * The operator halts the bot at runtime through its control API: one authorised POST /halt
 * {"reason": reason} to the URL with the token from the control file the bot writes in its
 * STATE_DIR (only loopback URLs). A runtime override like this one must survive a restart (audit
 * 002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted). Records `fault control.halt` ({id,
 * status, body excerpt}); fails (fault.error) when the control file is missing or unreadable, or the
 * API does not answer: the fault would not take effect.
 */
export const controlApiHalt: FaultKind<ControlApiHaltParams> = {
  name: 'control-api-halt',
  description: 'The operator halts the bot with one authorised POST /halt on its control API (a runtime override)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('control-api-halt', raw, ['file', 'reason']);
    const reason = raw.reason ?? 'faultline operator halt';
    if (typeof reason !== 'string') throw new ConfigError('fault control-api-halt: reason must be a string');
    return { file: stateFileParam('control-api-halt', raw, 'file'), reason };
  },
  async inject(ctx, target, params) {
    const control = readControlFile('control-api-halt', ctx.target(target.instance).stateDir, params.file);
    const url = new URL('/halt', control.url);
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: params.reason }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
    const body = (await res.text()).slice(0, 200);
    ctx.recorder.record('fault', 'control.halt', { id: target.occurrence, status: res.status, body }, target.instance);
    return { heal: async () => {} };
  },
};
