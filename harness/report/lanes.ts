import type { HistoryEvent } from '../history/types.ts';

/** One shaded interval on the timeline: a fault window, a WebSocket connection, a lock hold. */
export interface Band {
  /** Lane the band belongs to (see LANES). */
  lane: string;
  /** Short text drawn on the band. */
  label: string;
  /** Fault kind or state ("ws-disconnect", "up", "down"); styles and tests key on it. */
  kind: string;
  /** History times (ms since run start). */
  from: number;
  to: number;
  /** The window never closed in the history (killed run, or still active at the end). */
  open: boolean;
  instance?: string;
  /** Fault id ("f1") for fault bands. */
  faultId?: string;
  /** Seqs of the events that delimit the band. */
  seqs: number[];
}

export interface Lane {
  id: string;
  title: string;
  bands: Band[];
}

/**
 * A lane extractor reads a scenario's events and returns its lanes (zero or more: one per
 * instance/kind, say). Lanes without bands are dropped, so a lane for a fault family that a run
 * never recorded costs nothing. Adding a band type is one small function appended to LANES.
 */
export type LaneExtractor = (events: readonly HistoryEvent[], end: number) => Lane[];

interface FaultEventData {
  id?: string;
  kind?: string;
  link?: string;
  params?: Record<string, unknown>;
  [k: string]: unknown;
}

/** fault.start -> fault.end windows per (fault id, instance), for fault kinds `match` accepts. */
export function faultWindows(
  events: readonly HistoryEvent[],
  end: number,
  lane: string,
  match: (kind: string) => boolean,
  label: (d: FaultEventData, instance: string | undefined) => string,
): Band[] {
  const open = new Map<string, Band>();
  const out: Band[] = [];
  for (const e of events) {
    if (e.src !== 'fault' || (e.type !== 'fault.start' && e.type !== 'fault.end')) continue;
    const d = e.data as FaultEventData;
    const kind = String(d.kind ?? 'fault');
    if (!match(kind)) continue;
    const key = `${d.id}/${e.instance ?? ''}`;
    if (e.type === 'fault.start') {
      const band: Band = { lane, label: label(d, e.instance), kind, from: e.t, to: end, open: true, seqs: [e.seq] };
      if (e.instance !== undefined) band.instance = e.instance;
      if (d.id !== undefined) band.faultId = String(d.id);
      open.set(key, band);
      out.push(band);
    } else {
      const band = open.get(key);
      if (!band) continue;
      band.to = e.t;
      band.open = false;
      band.seqs.push(e.seq);
      open.delete(key);
    }
  }
  return out;
}

function one(id: string, title: string, bands: Band[]): Lane[] {
  return bands.length > 0 ? [{ id, title, bands }] : [];
}

const faultLabel = (d: FaultEventData, instance: string | undefined) => [d.id, d.kind, d.link, instance].filter(Boolean).join(' ');

/** Every fault window, whatever its kind. */
export const faultLane: LaneExtractor = (events, end) =>
  one(
    'faults',
    'Fault windows',
    faultWindows(events, end, 'faults', () => true, faultLabel),
  );

/**
 * WebSocket connection state per instance and stream kind, from the venue's ws.open / ws.close:
 * an "up" band per connection and a "down" band while a lane that had a connection has none.
 */
export const wsLanes: LaneExtractor = (events, end) => {
  const lanes = new Map<string, { lane: Lane; open: Map<number | undefined, Band>; downSince?: HistoryEvent }>();
  for (const e of events) {
    if (e.src !== 'venue' || (e.type !== 'ws.open' && e.type !== 'ws.close')) continue;
    const d = e.data as { connId?: number; kind?: string };
    const id = `ws-${d.kind ?? 'unknown'}-${e.instance ?? 'all'}`;
    let st = lanes.get(id);
    if (!st) {
      st = { lane: { id, title: `WebSocket ${d.kind ?? ''} (${e.instance ?? 'all'})`, bands: [] }, open: new Map() };
      lanes.set(id, st);
    }
    if (e.type === 'ws.open') {
      if (st.downSince) {
        st.lane.bands.push({ lane: id, label: 'down', kind: 'down', from: st.downSince.t, to: e.t, open: false, seqs: [st.downSince.seq, e.seq], ...inst(e) });
        st.downSince = undefined;
      }
      const band: Band = { lane: id, label: `conn ${d.connId}`, kind: 'up', from: e.t, to: end, open: true, seqs: [e.seq], ...inst(e) };
      st.open.set(d.connId, band);
      st.lane.bands.push(band);
    } else {
      const band = st.open.get(d.connId);
      if (!band) continue;
      band.to = e.t;
      band.open = false;
      band.seqs.push(e.seq);
      st.open.delete(d.connId);
      if (st.open.size === 0) st.downSince = e;
    }
  }
  for (const st of lanes.values()) {
    // Down until the scenario's end; "open" because nothing in the history closes it.
    const down = st.downSince;
    if (down && down.t < end)
      st.lane.bands.push({ lane: st.lane.id, label: 'down', kind: 'down', from: down.t, to: end, open: true, seqs: [down.seq], ...inst(down) });
  }
  return [...lanes.values()].map((s) => s.lane).filter((l) => l.bands.length > 0);
};

function inst(e: { instance?: string }): { instance?: string } {
  return e.instance === undefined ? {} : { instance: e.instance };
}

/** Clock faults (clock-skew, clock-jump, ...): the offset the bot's clock was given. */
export const clockLane: LaneExtractor = (events, end) =>
  one(
    'clock',
    'Clock offset',
    faultWindows(
      events,
      end,
      'clock',
      (k) => k.startsWith('clock'),
      (d, i) => `${signed(d.params?.offsetMs ?? d.offsetMs)} ${i ?? ''}`.trim(),
    ),
  );

/** Lock faults (lock-steal, lock-expire, ...): who held the lock during the window. */
export const lockLane: LaneExtractor = (events, end) =>
  one(
    'locks',
    'Lock holders',
    faultWindows(
      events,
      end,
      'locks',
      (k) => k.startsWith('lock-'),
      (d, i) => `${d.kind}: ${String(d.holder ?? d.params?.holder ?? i ?? '?')}`,
    ),
  );

/** Database lock windows (db-lock): a table or row lock held against the bot. */
export const dbLockLane: LaneExtractor = (events, end) =>
  one(
    'db-locks',
    'DB lock windows',
    faultWindows(
      events,
      end,
      'db-locks',
      (k) => k.startsWith('db-lock'),
      (d, i) => [d.kind, d.params?.table, i].filter(Boolean).join(' '),
    ),
  );

function signed(v: unknown): string {
  const n = Number(v);
  if (!Number.isFinite(n)) return 'offset ?';
  return `${n >= 0 ? '+' : ''}${n} ms`;
}

/** Lane order on the page. */
export const LANES: readonly LaneExtractor[] = [faultLane, wsLanes, clockLane, lockLane, dbLockLane];
