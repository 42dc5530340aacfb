import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * The venue pushes a MARGIN_CALL on the bot's user data stream for its open positions, as Binance
 * does when the position risk ratio is too high. Records `fault margin.call`. Fails (fault.error)
 * when the account has no open position: there is no margin to call. A bot that takes the call as a
 * reason to stop trading (its lifecycle to ERROR, a halt) must also end the orders it still has
 * working (check halt-cancels-working, 004_8a8a9a4995486b8f.txt#H-FSM-05).
 */
export const marginCallFault: FaultKind<Record<string, never>> = {
  name: 'margin-call',
  description: 'Push a MARGIN_CALL user-data event for the bot’s open positions',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('margin-call', raw, []);
    return {};
  },
  async inject(ctx, target) {
    if (!ctx.venue.marginCall(target.instance)) throw new Error(`margin-call: ${target.instance} has no open position to call margin on`);
    ctx.recorder.record('fault', 'margin.call', { id: target.occurrence }, target.instance);
    return { heal: async () => {} };
  },
};
