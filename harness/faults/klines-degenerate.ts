import { ConfigError } from '../core/errors.ts';
import { currentRequest } from '../venue/request-context.ts';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import type { FaultKind } from './types.ts';

export interface KlinesDegenerateParams {
  durationMs: number;
  /** Every n-th candle of an answer is degenerate (default 3). */
  every: number;
  /** Which fields go null: the close only, or open, high, low, close and volume (default). */
  fields: 'close' | 'ohlcv';
}

/** Kline row indexes (Binance: open time, open, high, low, close, volume, close time, ...). */
const FIELDS = { close: [4], ohlcv: [1, 2, 3, 4, 5] } as const;

/**
 * The venue's kline answers (GET /fapi/v1/klines) come back with holes: every n-th candle has null
 * fields, as a data source with missing bars delivers them (000_2ae31cbfe79758d1.txt#S-L2:
 * get_candles_df may return None/NaN OHLCV). The rest of each answer is the venue's own. Each
 * degraded answer is recorded as `fault klines.degenerate` {rows, nulled}.
 */
export const klinesDegenerate: FaultKind<KlinesDegenerateParams> = {
  name: 'klines-degenerate',
  description: 'Null out the OHLCV (or close) fields of every n-th candle of the venue’s kline answers for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('klines-degenerate', raw, ['durationMs', 'every', 'fields']);
    const every = raw.every ?? 3;
    if (typeof every !== 'number' || !Number.isInteger(every) || every < 1 || every > 1000)
      throw new ConfigError('fault klines-degenerate: every must be a whole number in [1, 1000]');
    const fields = raw.fields ?? 'ohlcv';
    if (fields !== 'close' && fields !== 'ohlcv') throw new ConfigError('fault klines-degenerate: fields must be "close" or "ohlcv"');
    return { durationMs: msParam('klines-degenerate', raw, 'durationMs', { min: 1 }), every, fields };
  },
  async inject(ctx, target, p) {
    return overrideRest(ctx, target, 'GET', '/fapi/v1/klines', () => {
      currentRequest().transformBody = (body) => {
        if (!Array.isArray(body)) return body;
        let nulled = 0;
        const rows = body.map((row, i) => {
          if (!Array.isArray(row) || (i + 1) % p.every !== 0) return row;
          nulled++;
          const copy = [...row];
          for (const f of FIELDS[p.fields]) copy[f] = null;
          return copy;
        });
        ctx.recorder.record('fault', 'klines.degenerate', { id: target.occurrence, rows: rows.length, nulled }, target.instance);
        return rows;
      };
      return undefined; // the venue answers; its body is degraded on the way out
    });
  },
};
