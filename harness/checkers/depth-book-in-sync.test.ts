import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { depthBookInSync } from './depth-book-in-sync.ts';
import { checker } from './registry.ts';

const FINDING = '001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars';
const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['ws-market', 'rest-orders'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(depthBookInSync, events, { ...ctx, options });

type Step = [t: number, add: (h: SyntheticHistory) => number];

/** Builds a history from steps and market ticks every 250 ms up to `until`, in time order. */
function build(steps: Step[], until = 6000): { events: HistoryEvent[]; seqs: Map<number, number>; tickSeq: (t: number) => number } {
  const all: Step[] = [...steps];
  for (let t = 0, i = 0; t <= until; t += 250, i++)
    all.push([t + 0.5, (h) => h.at(t + 0.5).add('market', 'tick', { symbol: 'BTCUSDT', i, bid: '100.0', ask: '100.2', mid: '100.1' })]);
  const order = all.map((s, i) => ({ s, i })).sort((a, b) => a.s[0] - b.s[0] || a.i - b.i);
  const h = new SyntheticHistory();
  const seqs = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const { s, i } of order) {
    const seq = s[1](h.at(s[0]));
    if (i < steps.length) seqs.set(i, seq);
    else ticks.set(Math.floor(s[0]), seq);
  }
  return { events: h.events, seqs, tickSeq: (t) => ticks.get(t) as number };
}

const open = (t: number, connId: number): Step => [
  t,
  (h) => h.at(t).add('venue', 'ws.open', { connId, kind: 'market', path: '/ws/btcusdt@depth@100ms', streams: ['btcusdt@depth@100ms'] }, 'bot-1'),
];
const openTicker = (t: number, connId: number): Step => [
  t,
  (h) => h.at(t).add('venue', 'ws.open', { connId, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1'),
];
const close = (t: number, connId: number): Step => [t, (h) => h.at(t).add('venue', 'ws.close', { connId, kind: 'market', code: 1001 }, 'bot-1')];
const snapshot = (t: number, status = 200): Step => [
  t,
  (h) => h.at(t).add('venue', 'http.request', { method: 'GET', path: '/fapi/v1/depth', status }, 'bot-1'),
];
const gap = (t: number, count: number): Step => [
  t,
  (h) => h.at(t).add('fault', 'fault.start', { id: 'f1', kind: 'depth-gap', impairs: [], params: { count } }, 'bot-1'),
];
let orderId = 1;
const order = (t: number, side: 'BUY' | 'SELL', pos: string, reduceOnly = false): Step => [
  t,
  (h) =>
    h
      .at(t)
      .add(
        'venue',
        'order.new',
        { orderId: orderId++, clientOrderId: `c${orderId}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty: '0.016', reduceOnly, positionBefore: pos },
        'bot-1',
      ),
];

describe('depth-book-in-sync', () => {
  it('is registered and cites the gap-detection finding', () => {
    expect(checker('depth-book-in-sync')).toBe(depthBookInSync);
    expect(depthBookInSync.findings).toEqual([FINDING]);
  });

  it('passes when the bot rebuilds its book from a snapshot after a gap before opening risk again', () => {
    // Gap at 2100 (count 2): the ticks at 2250 and 2500 are dropped, 2750 is the first event after it.
    const { events } = build([
      open(0, 1),
      snapshot(50),
      order(1000, 'BUY', '0'),
      gap(2100, 2),
      snapshot(2800),
      order(4000, 'SELL', '0.016'),
      order(5000, 'SELL', '0'),
    ]);
    const r = check(events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ gaps: 1, resynced: 1, onUnsynced: 0 });
    expect(r.stats.judged).toBeGreaterThanOrEqual(1);
  });

  it('fails a risk-increasing order after a gap with no snapshot since, evidence [order, first dropped tick, first event after]', () => {
    const steps = [open(0, 1), snapshot(50), order(1000, 'BUY', '0'), gap(2100, 2), order(4000, 'SELL', '0.016'), order(5000, 'SELL', '0')];
    const { events, seqs, tickSeq } = build(steps);
    const r = check(events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1); // the 4000 SELL only reduces the long
    const v = r.violations[0];
    expect(v?.evidence).toEqual([seqs.get(5), tickSeq(2250), tickSeq(2750)]);
    expect(v?.message).toMatch(/SELL 0\.016 BTCUSDT \(position 0 before\) 2250 ms after its depth book went out of sync \(depth-gap dropped/);
    expect(v?.message).toContain(FINDING);
  });

  it('does not judge orders the bot could not yet know were on a gappy book (grace after the first event after the gap)', () => {
    const { events } = build([open(0, 1), snapshot(50), order(1000, 'BUY', '0'), gap(2100, 2), order(3500, 'SELL', '0')]);
    const r = check(events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no risk-increasing order followed/);
    expect(check(events, { graceMs: 500 }).valid).toBe(false);
  });

  it('a snapshot taken while events are still being dropped does not rebuild the book', () => {
    const { events } = build([open(0, 1), snapshot(50), gap(2100, 3), snapshot(2300), order(4500, 'BUY', '0')]);
    expect(check(events).valid).toBe(false);
  });

  it('fails risk after a reconnect that kept the old book (no snapshot after the new open)', () => {
    const { events, seqs } = build([
      open(0, 1),
      snapshot(50),
      order(1000, 'BUY', '0'),
      close(3000, 1),
      snapshot(3100),
      open(3300, 2),
      order(5000, 'SELL', '0'),
    ]);
    const r = check(events);
    expect(r.valid).toBe(false);
    expect(r.stats.reconnects).toBe(1);
    expect(r.violations[0]?.evidence).toEqual([seqs.get(6), seqs.get(3)]);
    expect(r.violations[0]?.message).toMatch(/the depth stream closed/);
  });

  it('passes a reconnect followed by a snapshot, and judges the risk after it', () => {
    const { events } = build([open(0, 1), snapshot(50), order(1000, 'BUY', '0'), close(3000, 1), open(3300, 2), snapshot(3400), order(5000, 'SELL', '0')]);
    const r = check(events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ reconnects: 1, resynced: 1, judged: 1 });
  });

  it('fails risk while the depth stream is down (the book cannot follow the market)', () => {
    const { events } = build([open(0, 1), snapshot(50), close(3000, 1), order(4500, 'BUY', '0'), open(5000, 2), snapshot(5100)]);
    expect(check(events).valid).toBe(false);
  });

  it('fails risk on a book never synced from a snapshot at all', () => {
    const { events } = build([open(0, 1), order(2000, 'BUY', '0'), gap(2100, 1)]);
    const r = check(events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/the depth stream connected/);
  });

  it('reduce-only exits are always allowed', () => {
    const { events } = build([open(0, 1), snapshot(50), gap(2100, 2), order(4000, 'SELL', '0.016', true)]);
    expect(check(events).valid).toBe('unknown');
  });

  it('is unknown without a depth subscription, and without a gap or reconnect', () => {
    const noDepth = build([openTicker(0, 1), gap(2100, 2), order(4000, 'BUY', '0')]).events;
    expect(check(noDepth).valid).toBe('unknown');
    expect(check(noDepth).notes[0]).toMatch(/keeps no depth book/);
    const quiet = build([open(0, 1), snapshot(50), order(1000, 'BUY', '0'), order(3000, 'SELL', '0.016')]).events;
    expect(check(quiet).valid).toBe('unknown');
    expect(check(quiet).notes[0]).toMatch(/not exercised/);
  });

  it('a depth-gap on an instance with no depth connection never takes effect', () => {
    const { events } = build([gap(1000, 2), open(2000, 1), snapshot(2050), order(4000, 'BUY', '0')]);
    expect(check(events).valid).toBe('unknown');
  });
});
