import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import { type FaultKind, linkChannel } from './types.ts';

export interface WsDisconnectParams {
  durationMs: number;
}

/**
 * Cuts a WebSocket link at the proxy for durationMs: the open connection is closed and reconnects
 * are refused until heal, as when a venue edge or the bot's network drops. Exercises
 * 000_2ae31cbfe79758d1.txt#S-C2 (prices cleared on disconnect, bot trades on a fallback price).
 */
export const wsDisconnect: FaultKind<WsDisconnectParams> = {
  name: 'ws-disconnect',
  description: 'Drop a WebSocket link (open connection closed, reconnects refused) for durationMs',
  links: ['market-ws', 'user-ws'],
  impairs: (t) => [linkChannel(t.link ?? 'market-ws')],
  parse(raw) {
    onlyKeys('ws-disconnect', raw, ['durationMs']);
    return { durationMs: msParam('ws-disconnect', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target) {
    const link = ctx.link(target.instance, target.link ?? 'market-ws');
    await link.disable();
    return healOnce(async () => {
      await link.enable();
    });
  },
};
