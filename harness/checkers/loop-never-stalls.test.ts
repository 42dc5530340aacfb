import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { loopNeverStalls } from './loop-never-stalls.ts';
import { checker } from './registry.ts';

const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['probes', 'rest-orders'], options: {} };
const check = (events: HistoryEvent[], c = ctx) => runCheck(loopNeverStalls, events, c);

type Item = [number, 'target' | 'fault' | 'harness' | 'venue', string, Record<string, unknown>];

/** Heartbeats every 200 ms in [from, to], skipping the stretches in `stalls`. */
function beats(from: number, to: number, stalls: [number, number][] = []): Item[] {
  const out: Item[] = [];
  let n = 0;
  for (let t = from; t <= to; t += 200) {
    if (stalls.some(([a, b]) => t > a && t < b)) continue;
    out.push([t, 'target', 'probe', { probe: 'heartbeat', n: ++n, lagMs: 0 }]);
  }
  return out;
}

function fault(id: string, kind: string, from: number, to: number): Item[] {
  return [
    [from, 'fault', 'fault.start', { id, kind, params: { durationMs: to - from } }],
    [to, 'fault', 'fault.end', { id, kind, params: {} }],
  ];
}

/** Ready at 500, window end at 10000, the items in between sorted by time (all on bot-1). */
function history(...items: Item[][]): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(500).add('harness', 'scenario.ready', { instances: ['bot-1'] });
  for (const [t, src, type, data] of items.flat().sort((a, b) => a[0] - b[0])) h.at(t).add(src, type, data, src === 'harness' ? undefined : 'bot-1');
  h.at(10000).add('harness', 'scenario.window.end', {});
  return h;
}

const seqOf = (h: SyntheticHistory, type: string, kind: string) => h.events.find((e) => e.type === type && e.data.kind === kind)?.seq;

describe('loop-never-stalls', () => {
  it('is registered and cites the findings it decides', () => {
    expect(checker('loop-never-stalls')).toBe(loopNeverStalls);
    expect(loopNeverStalls.findings).toEqual([
      '000_2ae31cbfe79758d1.txt#E-H4',
      '000_2ae31cbfe79758d1.txt#S-H4',
      '000_2ae31cbfe79758d1.txt#E-H3',
      '004_8a8a9a4995486b8f.txt#H-ENG-05',
      '004_8a8a9a4995486b8f.txt#C-ADAPTER-01',
      '004_8a8a9a4995486b8f.txt#C-ADAPTER-02',
      '004_8a8a9a4995486b8f.txt#C-PORT-02',
      '004_8a8a9a4995486b8f.txt#C-ENG-02',
      '004_8a8a9a4995486b8f.txt#C-ENG-03',
      '001_0474a2fd1532b929.txt#M3',
      '003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in',
      '001_0474a2fd1532b929.txt#M4',
      '001_0474a2fd1532b929.txt#C8',
      '004_8a8a9a4995486b8f.txt#C-PORT-01',
      '004_8a8a9a4995486b8f.txt#H-FSM-01',
      '003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders',
    ]);
  });

  it('fails when the bot dies mid-window (001#M4, #C8): the target.exit leads the evidence', () => {
    const h = history(beats(600, 4000), fault('f1', 'user-events-tamper', 3000, 3000), fault('f2', 'partial-fills', 600, 10000), [
      [4100, 'target', 'target.exit', { pid: 1, code: 1, signal: null }],
    ]);
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    const v = r.violations[0];
    const exit = h.events.find((e) => e.type === 'target.exit')?.seq;
    const end = h.events.find((e) => e.type === 'scenario.window.end')?.seq;
    const last = h.events.filter((e) => e.data.probe === 'heartbeat').at(-1)?.seq;
    expect(v?.evidence).toEqual([exit, end, last, seqOf(h, 'fault.start', 'partial-fills')]);
    expect(v?.message).toMatch(/process exited at t=4\.10s \(code 1/);
    expect(r.stats.exits).toBe(1);
  });

  it('judges a bot that beat before ready and died right after it', () => {
    const h = new SyntheticHistory();
    const pre = h.at(300).add('target', 'probe', { probe: 'heartbeat', n: 1, lagMs: 0 }, 'bot-1');
    h.at(500).add('harness', 'scenario.ready', { instances: ['bot-1'] });
    const start = h.at(500).add('fault', 'fault.start', { id: 'f1', kind: 'partial-fills', params: {} }, 'bot-1');
    const exit = h.at(1200).add('target', 'target.exit', { pid: 1, code: 1, signal: null }, 'bot-1');
    const end = h.at(10000).add('harness', 'scenario.window.end', {});
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([exit, end, pre, start]);
    // Without the exit it froze instead: the silence from its last heartbeat to the window's end is
    // the stall (a bot that has shown it can beat does not get an unknown for falling silent).
    const frozen = check(h.events.filter((e) => e.type !== 'target.exit'));
    expect(frozen.valid).toBe(false);
    expect(frozen.violations[0]?.evidence).toEqual([end, pre, start]);
    expect(frozen.violations[0]?.message).toMatch(/stalled for 9700 ms/);
  });

  describe('resumeWithinMs (004#H-FSM-01)', () => {
    const orders = (...ts: number[]): Item[] => ts.map((t) => [t, 'venue', 'order.new', { clientOrderId: `c${t}` }]);
    const resume = { ...ctx, options: { maxGapMs: 1000, resumeWithinMs: 3000 } };

    it('passes a bot that trades again soon after the heal', () => {
      const r = check(history(beats(600, 9900), fault('f1', 'rest-error', 3000, 5000), orders(1000, 2000, 6500, 7500)).events, resume);
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ resumeJudged: 1, resumeMs: 1500, notResumed: 0 });
    });

    it('fails a bot that never trades again, the window end first, then its last order, the heal and the fault', () => {
      const h = history(beats(600, 9900), fault('f1', 'rest-error', 3000, 5000), orders(1000, 2000, 3100));
      const r = check(h.events, resume);
      expect(r.valid).toBe(false);
      expect(r.violations).toHaveLength(1);
      const at = (type: string, t?: number) => h.events.find((e) => e.type === type && (t === undefined || e.t === t))?.seq;
      expect(r.violations[0]?.evidence).toEqual([at('scenario.window.end'), at('order.new', 3100), at('fault.end'), at('fault.start')]);
      expect(r.violations[0]?.message).toMatch(/never traded again/);
      // Without the option the same history passes: the loop itself kept beating.
      expect(check(h.events).valid).toBe(true);
    });

    it('fails a bot that trades again too late, with that order as the offending event', () => {
      const h = history(beats(600, 9900), fault('f1', 'rest-error', 3000, 5000), orders(1000, 9000));
      const r = check(h.events, resume);
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence[0]).toBe(h.events.find((e) => e.type === 'order.new' && e.t === 9000)?.seq);
    });

    it('is unknown when it cannot judge: no order before the fault, or too little window after the heal', () => {
      expect(check(history(beats(600, 9900), fault('f1', 'rest-error', 3000, 5000), orders(6000)).events, resume).valid).toBe('unknown');
      expect(check(history(beats(600, 9900), fault('f1', 'rest-error', 3000, 8000), orders(1000)).events, resume).valid).toBe('unknown');
    });
  });

  it('an exit before the last heartbeat (a restarted process) is not blamed for a later gap', () => {
    const h = history(beats(600, 9900, [[4000, 5400]]), fault('f1', 'sqlite-lock', 3000, 6000), [
      [4100, 'target', 'target.exit', { pid: 1, code: 0, signal: null }],
    ]);
    const r = check(h.events);
    expect(r.valid).toBe(false); // the 1 s gap itself is judged as a stall
    for (const v of r.violations) expect(v.message).not.toMatch(/exited/);
  });

  it('passes when the loop keeps beating through the fault', () => {
    const r = check(history(beats(600, 9900), fault('f1', 'sqlite-lock', 3000, 6000)).events);
    expect(r.valid).toBe(true);
    expect(r.stats.heartbeatsDuringFaults).toBeGreaterThan(10);
    expect(r.stats.maxGapMs).toBe(200);
  });

  it('fails on a gap beyond the bound during the fault, with the heartbeats and the fault as evidence', () => {
    const h = history(beats(600, 9900, [[3400, 5600]]), fault('f1', 'sqlite-lock', 3000, 6000));
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    const v = r.violations[0];
    const [after, before, f] = (v?.evidence ?? []) as [number, number, number];
    expect(h.events[after]?.t).toBe(5600);
    expect(h.events[after]?.data.probe).toBe('heartbeat');
    expect(h.events[before]?.t).toBe(3400);
    expect(f).toBe(seqOf(h, 'fault.start', 'sqlite-lock'));
    expect(v?.message).toMatch(/stalled for 2200 ms \(bound 1000 ms\) during sqlite-lock \(f1\)/);
  });

  it('honours maxGapMs', () => {
    const h = history(beats(600, 9900, [[3400, 5600]]), fault('f1', 'sqlite-lock', 3000, 6000));
    expect(check(h.events, { ...ctx, options: { maxGapMs: 3000 } }).valid).toBe(true);
  });

  it('fails when the loop never beats again before the window ends', () => {
    const h = history(beats(600, 7000), fault('f1', 'rest-error', 6500, 8000));
    const r = check(h.events);
    expect(r.valid).toBe(false);
    const v = r.violations[0];
    expect(h.events[v?.evidence[0] as number]?.type).toBe('scenario.window.end');
    expect(v?.evidence).toContain(seqOf(h, 'fault.start', 'rest-error'));
    expect(v?.message).toMatch(/never beat again/);
  });

  it('also fails on a stall outside any fault once a fault took effect', () => {
    const r = check(history(beats(600, 9900, [[7000, 9000]]), fault('f1', 'sqlite-lock', 3000, 4000)).events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/no fault active/);
  });

  it('does not judge a gap while the process itself is paused', () => {
    const r = check(history(beats(600, 9900, [[3400, 5600]]), fault('f1', 'rest-error', 3000, 6000), fault('f2', 'process-pause', 3500, 5500)).events);
    expect(r.valid).toBe(true);
    // A process fault alone stresses nothing: unknown.
    expect(check(history(beats(600, 9900, [[3400, 5600]]), fault('f2', 'process-pause', 3500, 5500)).events).valid).toBe('unknown');
  });

  it('is unknown without heartbeats or without a fault', () => {
    const r = check(history(fault('f1', 'sqlite-lock', 3000, 6000)).events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no heartbeat/);
    const r2 = check(history(beats(600, 9900)).events);
    expect(r2.valid).toBe('unknown');
    expect(r2.notes[0]).toMatch(/no fault/);
  });

  it('is unknown without the probes capability', () => {
    const h = history(beats(600, 9900, [[3400, 5600]]), fault('f1', 'sqlite-lock', 3000, 6000));
    expect(check(h.events, { ...ctx, capabilities: ['rest-orders'] }).valid).toBe('unknown');
  });
});
