import { delay } from 'msw';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import { endpointParams } from './rest-params.ts';
import type { FaultKind } from './types.ts';

/** Holds each of the bot's requests to an endpoint for delayMs before the venue answers it normally. */
export const restSlow: FaultKind<{ durationMs: number; delayMs: number; method: 'GET' | 'POST' | 'PUT' | 'DELETE' | '*'; path: string }> = {
  name: 'rest-slow',
  description: 'Delay the venue’s answers on an endpoint (default every path) by delayMs for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('rest-slow', raw, ['durationMs', 'delayMs', 'method', 'path']);
    return {
      durationMs: msParam('rest-slow', raw, 'durationMs', { min: 1 }),
      delayMs: msParam('rest-slow', raw, 'delayMs', { min: 1, max: 600_000 }),
      ...endpointParams('rest-slow', raw, { method: '*', path: '/fapi/*' }),
    };
  },
  async inject(ctx, target, p) {
    return overrideRest(ctx, target, p.method, p.path, async () => {
      await delay(p.delayMs);
      return undefined;
    });
  },
};
