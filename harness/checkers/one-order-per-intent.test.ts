import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { oneOrderPerIntent } from './one-order-per-intent.ts';
import { checker } from './registry.ts';

const FINDING = '003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry';
const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['rest-orders'], options: {} };
const check = (events: HistoryEvent[], c = ctx) => runCheck(oneOrderPerIntent, events, c);

let nextOrderId = 1;

interface Order {
  side: 'BUY' | 'SELL';
  qty?: string;
  pos: string;
  reduceOnly?: boolean;
  cid: string;
}

/** venue order.new as the engine records it; returns [seq, orderId]. */
function order(h: SyntheticHistory, t: number, o: Order, instance = 'bot-1'): [number, number] {
  const orderId = nextOrderId++;
  const seq = h.at(t).add(
    'venue',
    'order.new',
    {
      orderId,
      clientOrderId: o.cid,
      symbol: 'BTCUSDT',
      side: o.side,
      type: 'MARKET',
      qty: o.qty ?? '0.016',
      reduceOnly: o.reduceOnly ?? false,
      positionBefore: o.pos,
    },
    instance,
  );
  return [seq, orderId];
}

/** The fault's record that this order executed but the bot never got the answer. */
function ambiguous(h: SyntheticHistory, t: number, orderId: number, cid: string, instance = 'bot-1'): number {
  return h.at(t).add('fault', 'order.ambiguous', { how: 'ack-lost', orderId, clientOrderId: cid, symbol: 'BTCUSDT', by: 'f1' }, instance);
}

function intent(h: SyntheticHistory, t: number, n: number, cid: string, attempt: number): number {
  return h.at(t).add('target', 'probe', { probe: 'intent', intent: n, clientOrderId: cid, attempt }, 'bot-1');
}

/** refbot's cycle up to its 3rd order (SHORT: SELL 0.016 from flat), which has an ambiguous outcome. */
function cycleToAmbiguousShort(): { h: SyntheticHistory; orig: number; amb: number } {
  const h = new SyntheticHistory();
  order(h, 1000, { side: 'BUY', pos: '0', cid: 'c1' });
  order(h, 2000, { side: 'SELL', pos: '0.016', reduceOnly: true, cid: 'c2' });
  const [orig, id] = order(h, 3000, { side: 'SELL', pos: '0', cid: 'c3' });
  const amb = ambiguous(h, 3000, id, 'c3');
  return { h, orig, amb };
}

describe(`one-order-per-intent (${FINDING})`, () => {
  it('is registered under its name and cites the finding', () => {
    expect(checker('one-order-per-intent')).toBe(oneOrderPerIntent);
    expect(oneOrderPerIntent.findings).toEqual([FINDING]);
  });

  it('flags a blind retry under a new clientOrderId, with evidence [duplicate, ambiguous, original]', () => {
    const { h, orig, amb } = cycleToAmbiguousShort();
    const dup = order(h, 3200, { side: 'SELL', pos: '-0.016', cid: 'c4' })[0];
    order(h, 4000, { side: 'BUY', qty: '0.032', pos: '-0.032', reduceOnly: true, cid: 'c5' });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([dup, amb, orig]);
    expect(r.violations[0]?.message).toMatch(/SELL 0\.016 BTCUSDT MARKET twice/);
    expect(r.violations[0]?.message).toMatch(/position -0\.016 -> -0\.032, intended -0\.016/);
    expect(r.stats.duplicates).toBe(1);
  });

  it('flags every re-send of the intent (two retries, two violations)', () => {
    const { h } = cycleToAmbiguousShort();
    order(h, 3200, { side: 'SELL', pos: '-0.016', cid: 'c4' });
    order(h, 3600, { side: 'SELL', pos: '-0.032', cid: 'c5' });
    expect(check(h.events).violations).toHaveLength(2);
  });

  it('cites the bot’s intent probe when it names the same intent', () => {
    const { h } = cycleToAmbiguousShort();
    intent(h, 2999, 3, 'c3', 1);
    const p = intent(h, 3199, 3, 'c4', 2);
    order(h, 3200, { side: 'SELL', pos: '-0.016', cid: 'c4' });
    const v = check(h.events).violations[0];
    expect(v?.evidence.at(-1)).toBe(p);
    expect(v?.message).toMatch(/intent 3, attempt 2/);
  });

  it('flags a re-send with the same clientOrderId that the venue accepted (a filled MARKET order is not open)', () => {
    const { h, orig, amb } = cycleToAmbiguousShort();
    const dup = order(h, 3300, { side: 'SELL', pos: '-0.016', cid: 'c3' })[0];
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([dup, amb, orig]);
    expect(r.violations[0]?.message).toMatch(/same clientOrderId c3/);
    expect(r.stats.sameIdResends).toBe(1);
  });

  it('accepts a same-id re-send the venue rejected (-4116) and the next cycle order', () => {
    const { h } = cycleToAmbiguousShort();
    h.at(3300).add('venue', 'order.reject', { clientOrderId: 'c3', symbol: 'BTCUSDT', side: 'SELL', code: -4116, msg: 'clientOrderId is duplicated' }, 'bot-1');
    order(h, 4000, { side: 'BUY', pos: '-0.016', reduceOnly: true, cid: 'c4' });
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats.rejectedResends).toBe(1);
  });

  it('passes a bot that looked the order up and went on with its cycle, even with same side and qty later', () => {
    // LONG, FLAT, SHORT (ambiguous), FLAT (BUY), LONG (BUY 0.016 again: a new intent after an opposite order).
    const { h } = cycleToAmbiguousShort();
    h.at(3100).add('venue', 'http.request', { method: 'GET', path: '/fapi/v1/order', status: 200 }, 'bot-1');
    order(h, 4000, { side: 'BUY', pos: '-0.016', reduceOnly: true, cid: 'c4' });
    order(h, 5000, { side: 'BUY', pos: '0', cid: 'c5' });
    order(h, 6000, { side: 'SELL', pos: '0.016', reduceOnly: true, cid: 'c6' });
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ ambiguous: 1, judged: 1, laterOrders: 3, duplicates: 0 });
  });

  it('does not take an exit followed by the next entry on the same side for a re-send (reduceOnly differs)', () => {
    // The ambiguous order is FLAT's reduce-only SELL; SHORT's SELL 0.016 follows without a BUY between.
    const h = new SyntheticHistory();
    order(h, 1000, { side: 'BUY', pos: '0', cid: 'c1' });
    const [, id] = order(h, 2000, { side: 'SELL', pos: '0.016', reduceOnly: true, cid: 'c2' });
    ambiguous(h, 2000, id, 'c2');
    order(h, 3000, { side: 'SELL', pos: '0', cid: 'c3' });
    expect(check(h.events).valid).toBe(true);
  });

  it('does not count a same-looking order after the window', () => {
    const { h } = cycleToAmbiguousShort();
    order(h, 8001, { side: 'SELL', pos: '-0.016', cid: 'c4' });
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes.join()).toMatch(/nothing to judge/);
    expect(check(h.events, { ...ctx, options: { windowMs: 6000 } }).valid).toBe(false);
  });

  it('judges each instance on its own orders', () => {
    const { h } = cycleToAmbiguousShort();
    order(h, 3200, { side: 'SELL', pos: '0', cid: 'x1' }, 'bot-2');
    order(h, 4000, { side: 'BUY', pos: '-0.016', reduceOnly: true, cid: 'c4' });
    expect(check(h.events).valid).toBe(true);
  });

  it('is unknown, not valid, when no order had an ambiguous outcome', () => {
    const h = new SyntheticHistory();
    order(h, 1000, { side: 'BUY', pos: '0', cid: 'c1' });
    order(h, 1200, { side: 'BUY', pos: '0.016', cid: 'c2' });
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes.join()).toMatch(/not exercised/);
  });

  it('is unknown when the bot sent nothing after the ambiguous outcome', () => {
    const { h } = cycleToAmbiguousShort();
    expect(check(h.events).valid).toBe('unknown');
  });

  it('is unknown when the target cannot place orders over REST', () => {
    const { h } = cycleToAmbiguousShort();
    order(h, 3200, { side: 'SELL', pos: '-0.016', cid: 'c4' });
    expect(check(h.events, { ...ctx, capabilities: [] }).valid).toBe('unknown');
  });

  it('still judges a re-used clientOrderId when the ambiguous order’s order.new is missing', () => {
    const h = new SyntheticHistory();
    const amb = ambiguous(h, 3000, 99, 'c3');
    const dup = order(h, 3200, { side: 'SELL', pos: '-0.016', cid: 'c3' })[0];
    order(h, 3400, { side: 'SELL', pos: '-0.032', cid: 'c4' });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([dup, amb]);
    expect(r.notes.join()).toMatch(/not in the history/);
  });
});
