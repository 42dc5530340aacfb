import { describe, expect, it } from 'vitest';
import { SyntheticHistory } from '../history/synthetic.ts';
import { faultLane, faultWindows, type LaneExtractor } from './lanes.ts';
import { syntheticRun } from './test-fixtures.ts';
import { buildTimeline } from './timeline.ts';

describe('buildTimeline', () => {
  it('extracts the price path, orders and fills (violating ones flagged), the fault band and WebSocket state', () => {
    const { events, staleOrder, faultStart } = syntheticRun();
    const tl = buildTimeline('synthetic', events, new Set([staleOrder]));
    expect(tl.price.t.length).toBe(tl.price.mid.length);
    expect(tl.price.t.length).toBeGreaterThan(10);
    const orders = tl.markers.filter((m) => m.kind === 'order');
    expect(orders.map((m) => m.violating)).toEqual([false, true]);
    // A MARKET order has no price: it sits on the last mid before it.
    expect(orders[1]?.price).toBeCloseTo(100.3);
    expect(tl.markers.find((m) => m.kind === 'fill')?.price).toBe(100.1);
    expect(tl.faultBands).toMatchObject([{ faultId: 'f1', kind: 'ws-disconnect', from: 3000, to: 9000, open: false, instance: 'bot-1' }]);
    expect(tl.faultBands[0]?.seqs[0]).toBe(faultStart);
    const market = tl.lanes.find((l) => l.id === 'ws-market-bot-1');
    expect(market?.bands.map((b) => [b.kind, b.from, b.to])).toEqual([
      ['up', 5, 3001],
      ['down', 3001, 9200],
      ['up', 9200, tl.to],
    ]);
    expect(tl.lanes.find((l) => l.id === 'ws-user-bot-1')?.bands).toHaveLength(1);
    expect(tl.marks.map((m) => m.label)).toEqual(['ready', 'window end']);
  });

  it('renders only lanes the history has: no clock, lock or DB lock lanes for a ws-disconnect run', () => {
    const tl = buildTimeline('synthetic', syntheticRun().events, new Set());
    expect(tl.lanes.map((l) => l.id)).toEqual(['faults', 'ws-market-bot-1', 'ws-user-bot-1']);
  });

  it('adds clock, lock and DB lock lanes when those fault kinds are recorded', () => {
    const h = new SyntheticHistory();
    h.at(100).add('fault', 'fault.start', { id: 'f1', kind: 'clock-skew', params: { offsetMs: -1500 } }, 'bot-1');
    h.at(200).add('fault', 'fault.start', { id: 'f2', kind: 'lock-steal', holder: 'bot-2', params: {} }, 'bot-1');
    h.at(300).add('fault', 'fault.start', { id: 'f3', kind: 'db-lock', params: { table: 'orders' } });
    h.at(900).add('fault', 'fault.end', { id: 'f1', kind: 'clock-skew', params: {} }, 'bot-1');
    const tl = buildTimeline('synthetic', h.events, new Set());
    const lane = (id: string) => tl.lanes.find((l) => l.id === id)?.bands[0];
    expect(lane('clock')).toMatchObject({ label: '-1500 ms bot-1', from: 100, to: 900, open: false });
    expect(lane('locks')).toMatchObject({ label: 'lock-steal: bot-2', open: true, to: tl.to });
    expect(lane('db-locks')).toMatchObject({ label: 'db-lock orders', open: true });
    expect(tl.faultBands).toHaveLength(3);
  });

  it('a fault that never ended (killed run) is an open band up to the last event', () => {
    const { events, faultStart } = syntheticRun();
    const cut = events.filter((e) => e.seq <= faultStart + 2);
    const tl = buildTimeline('synthetic', cut, new Set());
    expect(tl.faultBands[0]).toMatchObject({ open: true, to: cut.at(-1)?.t });
  });

  it('a new band type is one small extractor', () => {
    const heartbeat: LaneExtractor = (events, end) => {
      const bands = faultWindows(
        events,
        end,
        'hb',
        (k) => k === 'heartbeat-loss',
        () => 'no heartbeat',
      );
      return bands.length ? [{ id: 'hb', title: 'Heartbeats', bands }] : [];
    };
    const h = new SyntheticHistory();
    h.at(10).add('fault', 'fault.start', { id: 'f9', kind: 'heartbeat-loss', params: {} });
    h.at(20).add('fault', 'fault.end', { id: 'f9', kind: 'heartbeat-loss', params: {} });
    const tl = buildTimeline('synthetic', h.events, new Set(), [faultLane, heartbeat]);
    expect(tl.lanes.map((l) => l.id)).toEqual(['faults', 'hb']);
  });
});
