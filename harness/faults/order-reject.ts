import { HttpResponse } from 'msw';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import type { FaultKind } from './types.ts';

export interface OrderRejectParams {
  durationMs: number;
  /** Which new orders are refused: reduce-only ones (exits, the default), the others, or all. */
  orders: 'reduce-only' | 'opening' | 'all';
  /** At most this many refusals (absent = every matching order while active). */
  count?: number;
  status: number;
  code: number;
  msg: string;
}

/** `venue order.reject` as this fault records it: what the venue's own rejections record, plus the fault. */
export interface FaultRejectData extends Record<string, unknown> {
  symbol?: string;
  side?: string;
  type?: string;
  qty?: string;
  reduceOnly: boolean;
  code: number;
  msg: string;
  /** The fault occurrence that made the venue refuse it. */
  fault: string;
}

const ORDERS = ['reduce-only', 'opening', 'all'] as const;

/** The order's parameters: a signed POST carries them in the query, the form body, or both. */
async function orderParams(request: Request): Promise<URLSearchParams> {
  const out = new URL(request.url).searchParams;
  const body = await request.clone().text();
  for (const [k, v] of new URLSearchParams(body)) out.append(k, v);
  return out;
}

/**
 * The venue refuses the bot's new orders of one kind with a definite error (default the venue's
 * own 400 -1112 "No orders on book for symbol.", the answer to a MARKET order on an empty book),
 * without executing them, for durationMs. By default only reduce-only orders (exits) are refused:
 * the close path fails while everything else works. Each refusal is recorded as `venue
 * order.reject` {symbol, side, type, qty, reduceOnly, code, msg, fault}, like the venue's own
 * rejections, so checks see which order failed.
 */
export const orderReject: FaultKind<OrderRejectParams> = {
  name: 'order-reject',
  description: 'Refuse new orders (default: reduce-only exits) with a definite error (default 400 -1112 no orders on book), for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('order-reject', raw, ['durationMs', 'orders', 'count', 'status', 'code', 'msg']);
    const orders = raw.orders ?? 'reduce-only';
    if (typeof orders !== 'string' || !(ORDERS as readonly string[]).includes(orders))
      throw new ConfigError(`fault order-reject: orders must be one of ${ORDERS.join(', ')}`);
    const status = raw.status ?? 400;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499)
      throw new ConfigError('fault order-reject: status must be a 4xx status (a definite rejection)');
    const code = raw.code ?? -1112;
    if (typeof code !== 'number' || !Number.isInteger(code) || code >= 0) throw new ConfigError('fault order-reject: code must be a negative whole number');
    const msg = raw.msg ?? 'No orders on book for symbol.';
    if (typeof msg !== 'string' || msg === '') throw new ConfigError('fault order-reject: msg must be a non-empty string');
    const p: OrderRejectParams = {
      durationMs: msParam('order-reject', raw, 'durationMs', { min: 1 }),
      orders: orders as OrderRejectParams['orders'],
      status,
      code,
      msg,
    };
    if (raw.count !== undefined) {
      if (typeof raw.count !== 'number' || !Number.isInteger(raw.count) || raw.count < 1)
        throw new ConfigError('fault order-reject: count must be a whole number >= 1');
      p.count = raw.count;
    }
    return p;
  },
  async inject(ctx, target, p) {
    let left = p.count ?? Number.POSITIVE_INFINITY;
    return overrideRest(ctx, target, 'POST', '/fapi/v1/order', async ({ request }) => {
      if (left <= 0) return undefined;
      const q = await orderParams(request);
      const reduceOnly = q.get('reduceOnly') === 'true' || q.get('closePosition') === 'true';
      if ((p.orders === 'reduce-only' && !reduceOnly) || (p.orders === 'opening' && reduceOnly)) return undefined;
      left--;
      const data: FaultRejectData = { reduceOnly, code: p.code, msg: p.msg, fault: target.occurrence };
      for (const [k, key] of [
        ['symbol', 'symbol'],
        ['side', 'side'],
        ['type', 'type'],
        ['qty', 'quantity'],
      ] as const) {
        const v = q.get(key);
        if (v !== null) data[k] = v;
      }
      ctx.recorder.record('venue', 'order.reject', data, target.instance);
      return HttpResponse.json({ code: p.code, msg: p.msg }, { status: p.status });
    });
  },
};
