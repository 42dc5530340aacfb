import { describe, expect, it } from 'vitest';
import { SyntheticHistory } from '../history/synthetic.ts';
import { ownOrdersOnly } from './own-orders-only.ts';
import type { CheckContext } from './types.ts';

const ctx = { capabilities: ['rest-orders'], options: {} } as unknown as CheckContext;
const E_M12 = '000_2ae31cbfe79758d1.txt#E-M12';

function base(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(0).add('target', 'target.start', { pid: 1 }, 'bot-1');
  h.at(1000).add('venue', 'order.new', { orderId: 7, clientOrderId: 'faultline-manual-f1', side: 'BUY', type: 'LIMIT' }, 'bot-1');
  h.at(1001).add(
    'fault',
    'foreign.order',
    { id: 'f1', symbol: 'BTCUSDT', side: 'BUY', price: '45000', qty: '0.010', clientOrderId: 'faultline-manual-f1', orderId: 7, status: 200 },
    'bot-1',
  );
  h.at(2000).add('venue', 'order.new', { orderId: 8, clientOrderId: 'rb-bot-1-1', side: 'BUY', type: 'LIMIT' }, 'bot-1');
  return h;
}

describe('own-orders-only', () => {
  it('cites E-M12', () => {
    expect(ownOrdersOnly.findings).toEqual([E_M12]);
  });

  it('passes when the bot cancels only its own orders and shuts down around the foreign one', () => {
    const h = base();
    h.at(3000).add('venue', 'order.cancel', { orderId: 8, clientOrderId: 'rb-bot-1-1', symbol: 'BTCUSDT', reason: 'user' }, 'bot-1');
    h.at(3001).add('venue', 'http.request', { method: 'DELETE', path: '/fapi/v1/order', status: 200 }, 'bot-1');
    h.at(9000).add('target', 'target.exit', { pid: 1, code: 0 }, 'bot-1');
    const r = ownOrdersOnly.check(h.events, ctx);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ foreignOrders: 1, foreignCancelled: 0, botDeletes: 1, exitsAfter: 1 });
  });

  it('fails on a cancel-all that takes the foreign order with it, cancel first', () => {
    const h = base();
    const own = h.at(9000).add('venue', 'order.cancel', { orderId: 8, clientOrderId: 'rb-bot-1-1', symbol: 'BTCUSDT', reason: 'user' }, 'bot-1');
    const cancel = h.add('venue', 'order.cancel', { orderId: 7, clientOrderId: 'faultline-manual-f1', symbol: 'BTCUSDT', reason: 'user' }, 'bot-1');
    const del = h.at(9002).add('venue', 'http.request', { method: 'DELETE', path: '/fapi/v1/allOpenOrders', status: 200 }, 'bot-1');
    h.at(9500).add('target', 'target.exit', { pid: 1, code: 0 }, 'bot-1');
    const r = ownOrdersOnly.check(h.events, ctx);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([cancel, 2, del]);
    expect(r.violations[0]?.message).toMatch(/faultline-manual-f1.*allOpenOrders \(cancel-all for the symbol\).*E-M12/);
    expect(own).toBeLessThan(cancel);
  });

  it('does not blame the bot for a venue-side expiry of the foreign order', () => {
    const h = base();
    h.at(5000).add('venue', 'order.cancel', { orderId: 7, clientOrderId: 'faultline-manual-f1', symbol: 'BTCUSDT', reason: 'expired' }, 'bot-1');
    h.at(9000).add('target', 'target.exit', { pid: 1, code: 0 }, 'bot-1');
    expect(ownOrdersOnly.check(h.events, ctx).valid).toBe(true);
  });

  it('is unknown without a foreign order, or when the bot ran no cancel path after it', () => {
    const none = new SyntheticHistory();
    none.at(0).add('venue', 'order.cancel', { orderId: 8, clientOrderId: 'rb-bot-1-1', reason: 'user' }, 'bot-1');
    none.at(10).add('target', 'target.exit', { pid: 1, code: 0 }, 'bot-1');
    expect(ownOrdersOnly.check(none.events, ctx).valid).toBe('unknown');
    const refused = new SyntheticHistory();
    refused.at(0).add('fault', 'foreign.order', { id: 'f1', clientOrderId: 'x', status: 400, error: 'bad' }, 'bot-1');
    refused.at(10).add('target', 'target.exit', { pid: 1, code: 0 }, 'bot-1');
    expect(ownOrdersOnly.check(refused.events, ctx).valid).toBe('unknown');
    const idle = base();
    const r = ownOrdersOnly.check(idle.events, ctx);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no cancel path/);
  });
});
