import { ConfigError } from '../core/errors.ts';
import { type AccountOrder, type Placement, placeOnAccount } from './account-order.ts';
import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ForeignOrderParams {
  symbol: string;
  side: 'BUY' | 'SELL';
  /** LIMIT (default): a GTC order that rests; MARKET: it fills at once and moves the account's position. */
  type: 'LIMIT' | 'MARKET';
  /** Limit price, far enough from the market that the order rests (GTC); LIMIT only. */
  price?: string;
  qty: string;
  /** clientOrderId of the foreign order: an id the bot never generates (default faultline-manual-<occurrence>). */
  clientOrderId?: string;
}

/** `fault foreign.order`: an order placed on the bot's account by someone else (the operator, another tool). */
export interface ForeignOrderData extends AccountOrder, Placement {
  id: string;
}

function text(raw: Record<string, unknown>, key: string, fallback?: string): string {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'string' || v === '') throw new ConfigError(`fault foreign-order: ${key} must be a non-empty string`);
  return v;
}

function positiveDecimal(raw: Record<string, unknown>, key: string): string {
  const v = text(raw, key);
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new ConfigError(`fault foreign-order: ${key} must be a positive decimal string such as "0.010"`);
  return v;
}

/**
 * Someone else's order on the bot's account: places one GTC LIMIT order (price far from the
 * market, so it rests), or with type MARKET one that fills at once (an operator trading the
 * account by hand: its position changes without the bot's doing), with the instance's own API key, straight on the venue's listener (not
 * through the bot's links), under a clientOrderId the bot never generates. Records
 * `fault foreign.order` (ForeignOrderData) with the venue's orderId. The bot must leave it alone:
 * no cancel of it on any path (startup cleanup, reconciliation, cancel-all, shutdown), judged by
 * check own-orders-only. The venue also records the order as `venue order.new` (and the request
 * as the instance's `http.request`), so scenarios with this fault should not run checks that count
 * every order of the account as the bot's. Fails (fault.error) when the credentials cannot be read
 * or the venue refuses the order: the fault did not take effect.
 */
export const foreignOrder: FaultKind<ForeignOrderParams> = {
  name: 'foreign-order',
  description: 'Place a resting LIMIT (or a filling MARKET) order on the bot’s account that the bot did not place (an operator’s order)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('foreign-order', raw, ['symbol', 'side', 'type', 'price', 'qty', 'clientOrderId']);
    const type = raw.type ?? 'LIMIT';
    if (type !== 'LIMIT' && type !== 'MARKET') throw new ConfigError('fault foreign-order: type must be LIMIT or MARKET');
    if (type === 'MARKET' && raw.price !== undefined) throw new ConfigError('fault foreign-order: a MARKET order takes no price');
    const side = text(raw, 'side', 'BUY');
    if (side !== 'BUY' && side !== 'SELL') throw new ConfigError('fault foreign-order: side must be BUY or SELL');
    const cid = raw.clientOrderId;
    if (cid !== undefined && (typeof cid !== 'string' || !/^[.A-Za-z0-9_:/-]{1,36}$/.test(cid)))
      throw new ConfigError('fault foreign-order: clientOrderId must match ^[.A-Za-z0-9_:/-]{1,36}$ (Binance newClientOrderId)');
    return {
      symbol: text(raw, 'symbol', 'BTCUSDT'),
      side,
      type,
      ...(type === 'LIMIT' ? { price: positiveDecimal(raw, 'price') } : {}),
      qty: positiveDecimal(raw, 'qty'),
      ...(typeof cid === 'string' ? { clientOrderId: cid } : {}),
    };
  },
  async inject(ctx, target, params) {
    const clientOrderId = params.clientOrderId ?? `faultline-manual-${target.occurrence}`;
    const placed = await placeOnAccount(ctx, target.instance, {
      symbol: params.symbol,
      side: params.side,
      type: params.type,
      ...(params.price !== undefined ? { price: params.price } : {}),
      qty: params.qty,
      clientOrderId,
    });
    const data: ForeignOrderData = {
      id: target.occurrence,
      symbol: params.symbol,
      side: params.side,
      type: params.type,
      ...(params.price !== undefined ? { price: params.price } : {}),
      qty: params.qty,
      clientOrderId,
      ...placed,
    };
    ctx.recorder.record('fault', 'foreign.order', data as unknown as Record<string, unknown>, target.instance);
    if (data.orderId === undefined) throw new Error(`foreign-order: the venue refused the order (${data.status} ${data.error ?? ''})`);
    return { heal: async () => {} };
  },
};
