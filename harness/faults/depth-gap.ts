import { ConfigError } from '../core/errors.ts';
import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * A sequence gap in the diff-depth stream: the bot's next `count` depthUpdate events are never
 * delivered, so the following one has pu != the last u it applied. A bot must detect the gap and
 * rebuild its book from a REST snapshot instead of applying diffs onto a corrupt book.
 */
export const depthGap: FaultKind<{ count: number }> = {
  name: 'depth-gap',
  description: 'Drop the bot’s next count depthUpdate events (pu/u sequence gap)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('depth-gap', raw, ['count']);
    const count = raw.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10_000)
      throw new ConfigError('fault depth-gap: count must be a whole number in [1, 10000]');
    return { count };
  },
  async inject(ctx, target, p) {
    ctx.venue.dropDepthUpdates(target.instance, p.count);
    return { heal: async () => {} };
  },
};
