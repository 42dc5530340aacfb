import { describe, expect, it } from 'vitest';
import { newAccount } from '../../engine/account.ts';
import { BinanceError } from './errors.ts';
import type { RequestParams } from './params.ts';
import { authenticate, type Security, sign, signedPayload } from './signing.ts';

// The worked example of Binance's USD-M "SIGNED Endpoint Examples" (HMAC keys).
const SECRET = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';
const KEY = 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83';
const PAYLOAD = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943';
const TS = 1591702613943;
const account = newAccount({ instance: 'bot-1', apiKey: KEY, apiSecret: SECRET, balanceUsdt: 100 });

function params(query: string, body = ''): RequestParams {
  const values = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body)) values.set(k, v);
  for (const [k, v] of new URLSearchParams(query)) values.set(k, v);
  return { query, body, values };
}

function auth(p: RequestParams, over: { apiKey?: string | null; serverTime?: number; security?: Security } = {}) {
  return authenticate({
    apiKey: over.apiKey === undefined ? KEY : over.apiKey,
    params: p,
    security: over.security ?? 'SIGNED',
    serverTime: over.serverTime ?? TS + 10,
    remoteIp: '127.0.0.1',
    lookup: (k) => (k === KEY ? account : undefined),
  });
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof BinanceError) return e.code;
    throw e;
  }
  return undefined;
}

describe('Binance signing', () => {
  it('reproduces the documented HMAC signature', () => {
    expect(sign(SECRET, PAYLOAD)).toBe('3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9');
  });

  it('signs query+body concatenated without a separator (documented example 3)', () => {
    const p = params('symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC', 'quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943&signature=x');
    expect(signedPayload(p)?.payload).toBe('symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp=1591702613943');
  });

  it('accepts a valid signature in the query or in the body', () => {
    const sig = sign(SECRET, PAYLOAD);
    expect(auth(params(`${PAYLOAD}&signature=${sig}`))).toBe(account);
    expect(auth(params('', `${PAYLOAD}&signature=${sig.toUpperCase()}`))).toBe(account);
  });

  it('refuses key problems with -2014 / -2015 before anything else', () => {
    const p = params(`${PAYLOAD}&signature=bad`);
    expect(codeOf(() => auth(p, { apiKey: null }))).toBe(-2014);
    expect(codeOf(() => auth(p, { apiKey: 'not a key!' }))).toBe(-2014);
    expect(codeOf(() => auth(p, { apiKey: 'abc123' }))).toBe(-2015);
  });

  it('refuses a wrong signature with -1022 and a missing timestamp with -1102', () => {
    expect(codeOf(() => auth(params(`${PAYLOAD}&signature=${sign('other', PAYLOAD)}`)))).toBe(-1022);
    expect(codeOf(() => auth(params(`symbol=BTCUSDT&signature=${sign(SECRET, 'symbol=BTCUSDT')}`)))).toBe(-1102);
  });

  it('applies the recvWindow rule on both sides with -1021', () => {
    const p = params(`${PAYLOAD}&signature=${sign(SECRET, PAYLOAD)}`);
    expect(auth(p, { serverTime: TS + 5000 })).toBe(account);
    expect(codeOf(() => auth(p, { serverTime: TS + 5001 }))).toBe(-1021);
    expect(auth(p, { serverTime: TS - 999 })).toBe(account);
    expect(codeOf(() => auth(p, { serverTime: TS - 1000 }))).toBe(-1021);
  });

  it('needs only the key on USER_STREAM endpoints', () => {
    expect(auth(params(''), { security: 'USER_STREAM' })).toBe(account);
    expect(codeOf(() => auth(params(''), { security: 'USER_STREAM', apiKey: 'zzz' }))).toBe(-2015);
  });
});
