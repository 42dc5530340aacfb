import { readFileSync } from 'node:fs';
import { sign } from '../venue/dialects/binance-usdm/signing.ts';
import type { FaultContext } from './types.ts';

const TIMEOUT_MS = 3000;

/** The account credentials the bot was given (VENUE_API_KEY/SECRET), from /proc/<pid>/environ. */
export function targetCredentials(pid: number): { apiKey: string; apiSecret: string } | undefined {
  let env: string;
  try {
    env = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const get = (k: string) =>
    env
      .split('\0')
      .find((kv) => kv.startsWith(`${k}=`))
      ?.slice(k.length + 1);
  const apiKey = get('VENUE_API_KEY');
  const apiSecret = get('VENUE_API_SECRET');
  return apiKey && apiSecret ? { apiKey, apiSecret } : undefined;
}

/** An order a fault places on an instance's account. */
export interface AccountOrder {
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET';
  /** LIMIT only: GTC at this price. */
  price?: string;
  qty: string;
  clientOrderId: string;
}

/** What became of a placed order. */
export interface Placement {
  /** HTTP status of the venue's answer (0: no answer). */
  status: number;
  /** The venue's orderId; absent when the venue refused the order (see status, error). */
  orderId?: number;
  error?: string;
}

/**
 * Places an order with the instance's own API key (read from its environment), straight on the
 * venue's listener for that instance (not through the bot's links). Answers the HTTP status and
 * the venue's orderId, or an error text when the venue refused it or could not be reached; throws
 * when the credentials cannot be read.
 */
export async function placeOnAccount(ctx: FaultContext, instance: string, o: AccountOrder): Promise<Placement> {
  const control = ctx.target(instance);
  const creds = targetCredentials(control.pid);
  if (!creds) throw new Error(`cannot read the account credentials of ${instance} (pid ${control.pid})`);
  const total = new URLSearchParams({
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    ...(o.type === 'LIMIT' ? { timeInForce: 'GTC', price: o.price as string } : {}),
    quantity: o.qty,
    newClientOrderId: o.clientOrderId,
    timestamp: String(Date.now()),
  }).toString();
  const body = `${total}&signature=${sign(creds.apiSecret, total)}`;
  const url = `http://127.0.0.1:${ctx.venue.portFor(instance)}/fapi/v1/order`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': creds.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
    const answer = (await res.json().catch(() => ({}))) as { orderId?: unknown; msg?: unknown };
    if (res.ok && typeof answer.orderId === 'number') return { status: res.status, orderId: answer.orderId };
    return { status: res.status, error: String(answer.msg ?? `HTTP ${res.status}`) };
  } catch (err) {
    return { status: 0, error: String((err as Error).message) };
  }
}
