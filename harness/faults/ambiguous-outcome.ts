import { ConfigError } from '../core/errors.ts';
import { activeRequest } from '../venue/index.ts';
import { msParam, onlyKeys } from './params.ts';
import type { ActiveFault, FaultContext, FaultTarget } from './types.ts';

export interface AmbiguousParams {
  durationMs: number;
  /** At most this many orders are affected (default: every order in the window). */
  count?: number;
}

export function parseAmbiguous(kind: string, raw: Record<string, unknown>): AmbiguousParams {
  onlyKeys(kind, raw, ['durationMs', 'count']);
  const p: AmbiguousParams = { durationMs: msParam(kind, raw, 'durationMs', { min: 1 }) };
  if (raw.count !== undefined) {
    if (typeof raw.count !== 'number' || !Number.isInteger(raw.count) || raw.count < 1)
      throw new ConfigError(`fault ${kind}: count must be a whole number >= 1`);
    p.count = raw.count;
  }
  return p;
}

/**
 * For each order the instance places while active (up to count): the order executes on the venue,
 * then `spoil` changes what the bot hears about it. The order is recorded as an ambiguous outcome
 * (Jepsen's :info), never dropped, so checks can tell a duplicate re-send from a recovery.
 */
export function spoilOrderResponses(
  ctx: FaultContext,
  target: FaultTarget,
  p: AmbiguousParams,
  how: string,
  spoil: (meta: NonNullable<ReturnType<typeof activeRequest>>) => void,
): ActiveFault {
  let left = p.count ?? Number.POSITIVE_INFINITY;
  const unsubscribe = ctx.venue.onEvent('order.accepted', (e) => {
    if (e.instance !== target.instance || left <= 0) return;
    const meta = activeRequest();
    // Only the request that created the order carries its answer (not a trigger on a tick).
    if (!meta) return;
    left--;
    spoil(meta);
    ctx.recorder.record(
      'fault',
      'order.ambiguous',
      { how, orderId: e.order.orderId, clientOrderId: e.order.clientOrderId, symbol: e.order.symbol, by: target.occurrence },
      target.instance,
    );
  });
  return {
    async heal() {
      unsubscribe();
    },
  };
}
