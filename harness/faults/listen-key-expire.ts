import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * Expires the instance's listenKey now: `listenKeyExpired` is pushed, the socket stays up but
 * carries nothing more, and keepalives get -1125. A bot must create a new key and reconnect, and
 * re-fetch what it missed, before trading on its private state.
 */
export const listenKeyExpire: FaultKind<Record<string, never>> = {
  name: 'listen-key-expire',
  description: 'Expire the bot’s listenKey now (listenKeyExpired sent, socket left open)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('listen-key-expire', raw, []);
    return {};
  },
  async inject(ctx, target) {
    const key = ctx.venue.expireListenKey(target.instance);
    ctx.recorder.record('fault', 'listenKey.expired', { listenKey: key ?? null, by: target.occurrence }, target.instance);
    return { heal: async () => {} };
  },
};
