import { HttpResponse } from 'msw';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import { overrideRest } from './rest-override.ts';
import { endpointParams } from './rest-params.ts';
import type { FaultKind } from './types.ts';

export interface RestErrorParams {
  durationMs: number;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | '*';
  path: string;
  status: number;
  code: number;
  msg: string;
  /** Matching requests answered normally first (default 0): skip 1 fails a bot's second kline page, not its first. */
  skip: number;
}

/**
 * Answers the bot's requests to one endpoint with an error instead of executing them, for
 * durationMs. Defaults: POST /fapi/v1/order, HTTP 503 "Service Unavailable." (Binance: a failed
 * operation). `skip` lets the first matching requests through (a failure mid-way through a paged
 * read). Use status 408 / code -1007 for the "execution status unknown" timeout form.
 */
export const restError: FaultKind<RestErrorParams> = {
  name: 'rest-error',
  description: 'Answer an endpoint with an HTTP error (default 503 on POST /fapi/v1/order) for durationMs, without executing',
  links: [],
  parse(raw) {
    onlyKeys('rest-error', raw, ['durationMs', 'method', 'path', 'status', 'code', 'msg', 'skip']);
    const skip = raw.skip ?? 0;
    if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) throw new ConfigError('fault rest-error: skip must be a whole number >= 0');
    const status = raw.status ?? 503;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
      throw new ConfigError('fault rest-error: status must be an HTTP error status (400-599)');
    const code = raw.code ?? (status === 408 ? -1007 : -1001);
    if (typeof code !== 'number' || !Number.isInteger(code))
      throw new ConfigError('fault rest-error: code must be a whole number (Binance codes are negative)');
    const msg =
      raw.msg ??
      (status === 408
        ? 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.'
        : status === 503
          ? 'Service Unavailable.'
          : 'Internal error; unable to process your request. Please try again.');
    if (typeof msg !== 'string') throw new ConfigError('fault rest-error: msg must be a string');
    return {
      durationMs: msParam('rest-error', raw, 'durationMs', { min: 1 }),
      ...endpointParams('rest-error', raw, { method: 'POST', path: '/fapi/v1/order' }),
      status,
      code,
      msg,
      skip,
    };
  },
  async inject(ctx, target, p) {
    let passed = 0;
    return overrideRest(ctx, target, p.method, p.path, () => {
      if (passed < p.skip) {
        passed++;
        return undefined; // through to the venue
      }
      return HttpResponse.json({ code: p.code, msg: p.msg }, { status: p.status });
    });
  },
};
