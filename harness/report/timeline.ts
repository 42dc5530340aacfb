import type { HistoryEvent } from '../history/types.ts';
import { type Band, LANES, type Lane, type LaneExtractor } from './lanes.ts';

/** A bot order (venue order.new) or fill (order.fill) placed on the price chart. */
export interface Marker {
  seq: number;
  t: number;
  kind: 'order' | 'fill';
  instance?: string;
  side: string;
  qty: string;
  /** Where the marker sits on the price axis: the fill price, the limit price, or the last mid. */
  price: number | null;
  type?: string;
  reduceOnly?: boolean;
  /** The order is the offending event (evidence[0]) of a violation. */
  violating: boolean;
}

export interface ScenarioTimeline {
  scenario: string;
  /** History time range shown (ms since run start). */
  from: number;
  to: number;
  symbol?: string;
  /** Market mid price at each tick. */
  price: { t: number[]; mid: number[] };
  markers: Marker[];
  /** Fault windows, shaded on the price chart. */
  faultBands: Band[];
  /** Lanes below the chart (faults, WebSocket state, clock, locks, DB locks), only those with data. */
  lanes: Lane[];
  /** Vertical guides: when the scenario clock started (all instances ready) and the window ended. */
  marks: { t: number; label: string }[];
}

const MARKS: Record<string, string> = { 'scenario.ready': 'ready', 'scenario.window.end': 'window end' };

/** Extracts what the timeline plot shows from one scenario's events. Pure; unit-tested. */
export function buildTimeline(
  scenario: string,
  events: readonly HistoryEvent[],
  violatingSeqs: ReadonlySet<number>,
  extractors: readonly LaneExtractor[] = LANES,
): ScenarioTimeline {
  const from = events[0]?.t ?? 0;
  const to = Math.max(from + 1, events.at(-1)?.t ?? from);
  const price = { t: [] as number[], mid: [] as number[] };
  const markers: Marker[] = [];
  let symbol: string | undefined;
  let lastMid: number | null = null;
  const marks: ScenarioTimeline['marks'] = [];
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    const mark = e.src === 'harness' ? MARKS[e.type] : undefined;
    if (mark) marks.push({ t: e.t, label: mark });
    if (e.src === 'market' && e.type === 'tick') {
      const mid = Number(d.mid);
      if (!Number.isFinite(mid)) continue;
      symbol ??= String(d.symbol);
      price.t.push(e.t);
      price.mid.push(mid);
      lastMid = mid;
    } else if (e.src === 'venue' && (e.type === 'order.new' || e.type === 'order.fill')) {
      const isFill = e.type === 'order.fill';
      const p = Number(isFill ? d.lastPrice : d.price);
      const m: Marker = {
        seq: e.seq,
        t: e.t,
        kind: isFill ? 'fill' : 'order',
        side: String(d.side ?? ''),
        qty: String((isFill ? d.lastQty : d.qty) ?? ''),
        price: Number.isFinite(p) && p > 0 ? p : lastMid,
        violating: violatingSeqs.has(e.seq),
      };
      if (e.instance !== undefined) m.instance = e.instance;
      if (typeof d.type === 'string') m.type = d.type;
      if (typeof d.reduceOnly === 'boolean') m.reduceOnly = d.reduceOnly;
      markers.push(m);
    }
  }
  const lanes = extractors.flatMap((x) => x(events, to)).filter((l) => l.bands.length > 0);
  const faultBands = lanes.find((l) => l.id === 'faults')?.bands ?? [];
  const out: ScenarioTimeline = { scenario, from, to, price, markers, faultBands, lanes, marks };
  if (symbol !== undefined) out.symbol = symbol;
  return out;
}
