import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * The venue stops sending market data to one instance while its connections stay up and its user
 * stream keeps flowing (one stream dead, the others alive): only a staleness timer on the data
 * itself notices (audit 003_a7371304fd1017c8.txt stale-detection finding).
 */
export const venueMarketPause: FaultKind<{ durationMs: number }> = {
  name: 'venue-market-pause',
  description: 'Stop market-stream messages to the bot (sockets stay open, user stream flows) for durationMs',
  links: [],
  impairs: () => ['market-data'],
  parse(raw) {
    onlyKeys('venue-market-pause', raw, ['durationMs']);
    return { durationMs: msParam('venue-market-pause', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target) {
    ctx.venue.pauseMarketData(target.instance, true);
    return healOnce(async () => {
      ctx.venue.pauseMarketData(target.instance, false);
    });
  },
};
