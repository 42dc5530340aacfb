/**
 * Cancels the venue refuses on a fault's behalf: while an instance has a refusal set, its cancel
 * requests for working orders (DELETE /fapi/v1/order, and each entry of DELETE
 * /fapi/v1/batchOrders) are answered with the refusal's error and the order stays working, for
 * at most `count` refusals. Each one is recorded as `venue cancel.refuse` {orderId, clientOrderId,
 * symbol, via, code, msg, fault}.
 */

import type { Order } from '../../engine/order.ts';
import type { DialectContext } from './endpoint.ts';

export interface CancelRefusal {
  status: number;
  code: number;
  msg: string;
  /** Refusals left; undefined = every cancel while set. */
  count?: number;
  /** The fault occurrence, for the record. */
  fault: string;
}

export class CancelRefusals {
  readonly #byInstance = new Map<string, CancelRefusal>();

  set(instance: string, refusal: CancelRefusal | undefined): void {
    if (refusal) this.#byInstance.set(instance, { ...refusal });
    else this.#byInstance.delete(instance);
  }

  /** The refusal for this cancel of a working order, recorded, or undefined when it may go through. */
  take(ctx: DialectContext, order: Order, via: 'single' | 'batch'): CancelRefusal | undefined {
    const r = this.#byInstance.get(order.instance);
    if (!r) return undefined;
    if (r.count !== undefined) {
      if (r.count <= 0) return undefined;
      r.count--;
    }
    ctx.recorder.record(
      'venue',
      'cancel.refuse',
      { orderId: order.orderId, clientOrderId: order.clientOrderId, symbol: order.symbol, via, code: r.code, msg: r.msg, fault: r.fault },
      order.instance,
    );
    return r;
  }
}
