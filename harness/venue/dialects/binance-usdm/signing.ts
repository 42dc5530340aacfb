/**
 * Endpoint security of Binance USD-M: API key in X-MBX-APIKEY; SIGNED endpoints add `timestamp`,
 * optional `recvWindow` and an HMAC-SHA256 hex `signature` over totalParams (query string
 * concatenated with body, exactly as sent, without the signature pair itself).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Account } from '../../engine/account.ts';
import { errors } from './errors.ts';
import { param, type RequestParams } from './params.ts';

export type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

export const DEFAULT_RECV_WINDOW = 5000;
export const MAX_RECV_WINDOW = 60000;

/** Binance keys are alphanumeric; anything else is refused before the key is even looked up. */
const KEY_FORMAT = /^[A-Za-z0-9]+$/;

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Removes the `signature=...` pair from a raw parameter text; undefined when it has none. */
function cutSignature(text: string): { rest: string; value: string } | undefined {
  const m = /(^|&)signature=([^&]*)/.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index);
  const after = text.slice(m.index + m[0].length);
  const rest = before === '' ? after.replace(/^&/, '') : before + after;
  return { rest, value: decodeURIComponent(m[2] ?? '') };
}

/** totalParams without the signature, and the signature as sent. */
export function signedPayload(p: RequestParams): { payload: string; signature: string } | undefined {
  const inBody = cutSignature(p.body);
  if (inBody) return { payload: p.query + inBody.rest, signature: inBody.value };
  const inQuery = cutSignature(p.query);
  if (inQuery) return { payload: inQuery.rest + p.body, signature: inQuery.value };
  return undefined;
}

function integer(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

export interface AuthInput {
  apiKey: string | null;
  params: RequestParams;
  security: Security;
  serverTime: number;
  remoteIp: string;
  lookup: (apiKey: string) => Account | undefined;
}

/**
 * The account a request acts for, or a BinanceError thrown in Binance's order of checks: key
 * format, key known, mandatory timestamp/signature, recvWindow range, signature, then timing.
 */
export function authenticate(a: AuthInput): Account | undefined {
  if (a.security === 'NONE') return undefined;
  if (!a.apiKey || !KEY_FORMAT.test(a.apiKey)) throw errors.apiKeyFormat();
  const account = a.lookup(a.apiKey);
  if (!account) throw errors.rejectedApiKey(a.remoteIp);
  if (a.security === 'USER_STREAM') return account;

  const timestamp = integer(param(a.params, 'timestamp'));
  if (timestamp === undefined) throw errors.mandatory('timestamp');
  const signed = signedPayload(a.params);
  if (!signed || signed.signature === '') throw errors.mandatory('signature');
  const rawWindow = param(a.params, 'recvWindow');
  const recvWindow = rawWindow === undefined ? DEFAULT_RECV_WINDOW : integer(rawWindow);
  if (recvWindow === undefined || recvWindow <= 0 || recvWindow > MAX_RECV_WINDOW) throw errors.invalidParam('recvWindow');

  const expected = Buffer.from(sign(account.apiSecret, signed.payload), 'utf8');
  const given = Buffer.from(signed.signature.toLowerCase(), 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw errors.badSignature();

  // Binance's rule: accept iff timestamp < serverTime + 1000 && serverTime - timestamp <= recvWindow.
  if (timestamp >= a.serverTime + 1000) throw errors.aheadOfServer();
  if (a.serverTime - timestamp > recvWindow) throw errors.outsideRecvWindow();
  return account;
}
