import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface CancelFailParams {
  durationMs: number;
  /** At most this many cancels refused (absent = every cancel while active). */
  count?: number;
  status: number;
  code: number;
  msg: string;
}

/**
 * The venue fails the bot's cancels of working orders without cancelling them, for durationMs:
 * a DELETE /fapi/v1/order answers the error (default 503 -1001 "Internal error; unable to process
 * your request. Please try again."), and in a DELETE /fapi/v1/batchOrders answer the entry of
 * that order carries {code, msg} while the batch itself is HTTP 200. With `count`, only the first
 * `count` cancels fail: one entry of a batch fails, the others go through. The orders stay
 * working. Each refusal is recorded as `venue cancel.refuse` {orderId, clientOrderId, via, code,
 * msg, fault}.
 */
export const cancelFail: FaultKind<CancelFailParams> = {
  name: 'cancel-fail',
  description: 'Fail the bot’s cancels (single, and entries of a batch) without cancelling, count times or for durationMs',
  links: [],
  parse(raw) {
    onlyKeys('cancel-fail', raw, ['durationMs', 'count', 'status', 'code', 'msg']);
    const status = raw.status ?? 503;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
      throw new ConfigError('fault cancel-fail: status must be a 4xx or 5xx status');
    const code = raw.code ?? -1001;
    if (typeof code !== 'number' || !Number.isInteger(code) || code >= 0) throw new ConfigError('fault cancel-fail: code must be a negative whole number');
    const msg = raw.msg ?? 'Internal error; unable to process your request. Please try again.';
    if (typeof msg !== 'string' || msg === '') throw new ConfigError('fault cancel-fail: msg must be a non-empty string');
    const count = raw.count;
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
      throw new ConfigError('fault cancel-fail: count must be a whole number >= 1');
    return { durationMs: msParam('cancel-fail', raw, 'durationMs', { min: 1 }), status, code, msg, ...(count !== undefined ? { count } : {}) };
  },
  async inject(ctx, target, p) {
    ctx.venue.refuseCancels(target.instance, {
      status: p.status,
      code: p.code,
      msg: p.msg,
      fault: target.occurrence,
      ...(p.count !== undefined ? { count: p.count } : {}),
    });
    return {
      async heal() {
        ctx.venue.refuseCancels(target.instance, undefined);
      },
    };
  },
};
