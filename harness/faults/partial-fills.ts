import { ConfigError } from '../core/errors.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface PartialFillsParams {
  /** Each marketable order executes in this many slices... */
  slices: number;
  /** ...this far apart. */
  intervalMs: number;
  /** Only the first filledSlices slices execute; the rest is expired or cancelled (default: all slices fill). */
  filledSlices?: number;
  rest?: 'expire' | 'cancel';
  /** How long the policy applies to new orders; absent = the rest of the run. */
  durationMs?: number;
}

/**
 * Makes the venue fill the bot's orders in slices over time (PARTIALLY_FILLED ... FILLED, with l
 * vs z and L per execution), optionally leaving a remainder expired or cancelled. Budget, position
 * and notional accounting must follow the cumulative fills, not the order's quantity.
 */
export const partialFills: FaultKind<PartialFillsParams> = {
  name: 'partial-fills',
  description: 'Fill new orders in slices over time, optionally expiring or cancelling the rest',
  links: [],
  parse(raw) {
    onlyKeys('partial-fills', raw, ['slices', 'intervalMs', 'filledSlices', 'rest', 'durationMs']);
    const slices = raw.slices;
    if (typeof slices !== 'number' || !Number.isInteger(slices) || slices < 2 || slices > 100)
      throw new ConfigError('fault partial-fills: slices must be a whole number in [2, 100]');
    const p: PartialFillsParams = { slices, intervalMs: msParam('partial-fills', raw, 'intervalMs', { max: 60_000 }) };
    if (raw.filledSlices !== undefined) {
      const f = raw.filledSlices;
      if (typeof f !== 'number' || !Number.isInteger(f) || f < 1 || f >= slices)
        throw new ConfigError('fault partial-fills: filledSlices must be a whole number in [1, slices)');
      p.filledSlices = f;
      p.rest = raw.rest === 'cancel' ? 'cancel' : 'expire';
    } else if (raw.rest !== undefined) {
      throw new ConfigError('fault partial-fills: rest only applies with filledSlices');
    }
    if (raw.durationMs !== undefined) p.durationMs = msParam('partial-fills', raw, 'durationMs', { min: 1 });
    return p;
  },
  async inject(ctx, _target, p) {
    ctx.venue.setFillPolicy({
      kind: 'slices',
      slices: p.slices,
      intervalMs: p.intervalMs,
      ...(p.filledSlices !== undefined ? { filledSlices: p.filledSlices, rest: p.rest ?? 'expire' } : {}),
    });
    return healOnce(async () => {
      ctx.venue.setFillPolicy({ kind: 'immediate' });
    });
  },
};
