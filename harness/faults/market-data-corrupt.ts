import { ConfigError } from '../core/errors.ts';
import type { MarketCorruption } from '../venue/types.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface MarketDataCorruptParams extends MarketCorruption {
  durationMs: number;
}

const MODES = ['zero', 'negative', 'nan', 'scale'] as const;
const SIDES = ['bid', 'ask', 'both'] as const;

/**
 * Degenerate prices on the instance's market streams: for durationMs every bookTicker (the chosen
 * side) and markPriceUpdate it receives carries "0", a negative, "NaN" or a price scaled by
 * `factor` (an absurd jump). The sockets stay open and the messages keep coming, so only a bot
 * that validates prices before sizing an order (audit 000_2ae31cbfe79758d1.txt S-M1/S-M6,
 * 004_8a8a9a4995486b8f.txt M-ADAPTER-01) notices. Each corrupted message is recorded as
 * `venue market.corrupt`. Nothing is cut off, so the fault impairs no channel.
 */
export const marketDataCorrupt: FaultKind<MarketDataCorruptParams> = {
  name: 'market-data-corrupt',
  description: 'Corrupt the prices (0, negative, NaN, scaled) of the bot’s bookTicker/markPrice messages for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('market-data-corrupt', raw, ['mode', 'side', 'factor', 'durationMs']);
    const mode = raw.mode;
    if (!(MODES as readonly unknown[]).includes(mode)) throw new ConfigError(`fault market-data-corrupt: mode must be one of ${MODES.join(', ')}`);
    const side = raw.side ?? 'both';
    if (!(SIDES as readonly unknown[]).includes(side)) throw new ConfigError(`fault market-data-corrupt: side must be one of ${SIDES.join(', ')}`);
    const p: MarketDataCorruptParams = {
      mode: mode as MarketCorruption['mode'],
      side: side as MarketCorruption['side'],
      durationMs: msParam('market-data-corrupt', raw, 'durationMs', { min: 1 }),
    };
    if (p.mode === 'scale') {
      const f = raw.factor;
      if (typeof f !== 'number' || !Number.isFinite(f) || f <= 0 || f === 1)
        throw new ConfigError('fault market-data-corrupt: mode scale needs a factor > 0 other than 1 (e.g. 0.001 or 1000)');
      p.factor = f;
    } else if (raw.factor !== undefined) {
      throw new ConfigError('fault market-data-corrupt: factor is only for mode scale');
    }
    return p;
  },
  async inject(ctx, target, p) {
    const c: MarketCorruption = { mode: p.mode, side: p.side };
    if (p.factor !== undefined) c.factor = p.factor;
    ctx.venue.corruptMarketData(target.instance, c);
    return healOnce(async () => {
      ctx.venue.corruptMarketData(target.instance, undefined);
    });
  },
};
