/**
 * Degenerate market data for one instance (the `market-data-corrupt` fault): while a corruption is
 * set, the prices in the bookTicker and markPriceUpdate payloads the instance receives are replaced
 * by "0", a negative, "NaN" or a scaled (absurd) value, the way a broken feed, an empty book side
 * or an unvalidated adapter delivers them. Every corrupted message is recorded as
 * `venue market.corrupt` with the prices the instance was sent, so checks can tell which order
 * followed which degenerate price. Other instances keep receiving the real payload.
 */

export type CorruptMode = 'zero' | 'negative' | 'nan' | 'scale';
export type CorruptSide = 'bid' | 'ask' | 'both';

export interface MarketCorruption {
  mode: CorruptMode;
  /** Which bookTicker side(s) go bad; markPriceUpdate's mark/index prices always do. */
  side: CorruptSide;
  /** Multiplier for mode 'scale'. */
  factor?: number;
}

export interface CorruptedPayload {
  payload: unknown;
  symbol: string;
  /** Corrupted field -> the text sent instead of the real price. */
  values: Record<string, string>;
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The degenerate text that replaces one price text. */
export function corruptPrice(text: string, c: MarketCorruption): string {
  const d = decimalsOf(text);
  switch (c.mode) {
    case 'zero':
      return (0).toFixed(d);
    case 'negative':
      return text.startsWith('-') ? text : `-${text}`;
    case 'nan':
      return 'NaN';
    case 'scale':
      return (Number(text) * (c.factor ?? 1)).toFixed(d);
  }
}

function fieldsFor(e: unknown, side: CorruptSide): string[] {
  if (e === 'bookTicker') return side === 'bid' ? ['b'] : side === 'ask' ? ['a'] : ['b', 'a'];
  if (e === 'markPriceUpdate') return ['p', 'i', 'P'];
  return [];
}

function corruptOne(item: unknown, c: MarketCorruption, values: Record<string, string>): { item: unknown; symbol?: string } {
  if (typeof item !== 'object' || item === null) return { item };
  const o = item as Record<string, unknown>;
  const fields = fieldsFor(o.e, c.side).filter((f) => typeof o[f] === 'string');
  if (fields.length === 0) return { item };
  const out: Record<string, unknown> = { ...o };
  for (const f of fields) {
    out[f] = corruptPrice(o[f] as string, c);
    values[f] = out[f] as string;
  }
  return { item: out, symbol: String(o.s) };
}

/** The payload with its prices corrupted, or undefined when it carries no price this fault corrupts. */
export function corruptPayload(payload: unknown, c: MarketCorruption): CorruptedPayload | undefined {
  const values: Record<string, string> = {};
  if (Array.isArray(payload)) {
    // !markPrice@arr: every symbol's entry goes bad.
    const symbols: string[] = [];
    const items = payload.map((p) => {
      const r = corruptOne(p, c, values);
      if (r.symbol !== undefined) symbols.push(r.symbol);
      return r.item;
    });
    return symbols.length === 0 ? undefined : { payload: items, symbol: symbols.join(','), values };
  }
  const r = corruptOne(payload, c, values);
  return r.symbol === undefined ? undefined : { payload: r.item, symbol: r.symbol, values };
}
