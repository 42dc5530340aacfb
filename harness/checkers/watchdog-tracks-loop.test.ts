import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';
import { watchdogTracksLoop } from './watchdog-tracks-loop.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes', 'sd-notify'], options: {} };

type Item = [number, 'target' | 'fault' | 'harness', string, Record<string, unknown>];

/** Events every `every` ms in [from, to], skipping the stretches in `gaps`. */
function every(
  every: number,
  from: number,
  to: number,
  make: (n: number) => Item[2 | 3] extends never ? never : [Item[1], string, Record<string, unknown>],
  gaps: [number, number][] = [],
): Item[] {
  const out: Item[] = [];
  let n = 0;
  for (let t = from; t <= to; t += every) if (!gaps.some(([a, b]) => t > a && t < b)) out.push([t, ...make(++n)]);
  return out;
}
const beats = (from: number, to: number, gaps: [number, number][] = []) => every(200, from, to, (n) => ['target', 'probe', { probe: 'heartbeat', n }], gaps);
const pings = (from: number, to: number, gaps: [number, number][] = []) =>
  every(1000, from, to, () => ['target', 'notify', { msg: 'WATCHDOG=1', state: { WATCHDOG: '1' } }], gaps);

/** Watchdog period 2000 ms on bot-1, ready at 500, window end at 12000. */
function history(...items: Item[][]): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(100).add('harness', 'watchdog.socket', { periodMs: 2000 }, 'bot-1');
  h.at(500).add('harness', 'scenario.ready', { instances: ['bot-1'] });
  for (const [t, src, type, data] of items.flat().sort((a, b) => a[0] - b[0])) h.at(t).add(src, type, data, src === 'harness' ? undefined : 'bot-1');
  h.at(12000).add('harness', 'scenario.window.end', {});
  return h;
}
const check = (h: SyntheticHistory, c = ctx) => runCheck(watchdogTracksLoop, h.events, c);

describe('watchdog-tracks-loop', () => {
  it('is registered, cites 000#X-L4 and needs probes and sd-notify', () => {
    expect(checker('watchdog-tracks-loop')).toBe(watchdogTracksLoop);
    expect(watchdogTracksLoop.findings).toEqual(['000_2ae31cbfe79758d1.txt#X-L4']);
    expect(runCheck(watchdogTracksLoop, history(beats(600, 11900), pings(1000, 11000)).events, { ...ctx, capabilities: ['probes'] }).valid).toBe('unknown');
  });

  it('passes a bot that pings while it beats and goes quiet with its loop', () => {
    const r = check(history(beats(600, 11900, [[4000, 8000]]), pings(1000, 11000, [[4100, 8000]])));
    expect(r.valid).toBe(true);
    expect(r.stats.stalls).toBe(1);
    expect(r.stats.pingsDuringStalls).toBe(0);
    expect(r.stats.pings).toBe(8);
  });

  it('fails a bot that never pings, with the running heartbeats as evidence', () => {
    const h = history(beats(600, 11900));
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.message).toMatch(/sent no WATCHDOG=1 ping at all while its loop kept beating for 11200 ms/);
    const [last, first] = r.violations[0]?.evidence ?? [];
    expect(h.events.find((e) => e.seq === first)?.t).toBe(600);
    expect(h.events.find((e) => e.seq === last)?.t).toBe(11800);
  });

  it('fails a bot whose pings stop for longer than the period while its loop runs', () => {
    const r = check(history(beats(600, 11900), pings(1000, 11000, [[3500, 7500]])));
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/sent no WATCHDOG=1 ping after the one at t=3.00s while its loop kept beating/);
  });

  it('fails a bot that keeps pinging while its loop stalls (a timer thread), citing the ping and the last heartbeat', () => {
    const h = history(beats(600, 11900, [[4000, 8000]]), pings(1000, 11000));
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.message).toMatch(
      /kept pinging WATCHDOG=1 while its loop stalled: 3 ping\(s\) from t=5.00s, 1000 ms after the last heartbeat at t=4.00s, before it beat again at t=8.00s/,
    );
    const [ping, lastBeat, nextBeat] = r.violations[0]?.evidence ?? [];
    expect(h.events.find((e) => e.seq === ping)?.type).toBe('notify');
    expect(h.events.find((e) => e.seq === lastBeat)?.t).toBe(4000);
    expect(h.events.find((e) => e.seq === nextBeat)?.t).toBe(8000);
  });

  it('does not blame a ping right after the last heartbeat, nor a stall shorter than the period', () => {
    // Stall 4000..5600 (1600 ms < period); a ping at 4000 falls 200 ms after the 3800 heartbeat.
    expect(check(history(beats(600, 11900, [[3900, 5600]]), pings(1000, 11000, [[4500, 5500]]))).valid).toBe(true);
  });

  it('excuses spans in which a process fault stopped the instance', () => {
    const pause: Item[] = [
      [4000, 'fault', 'fault.start', { id: 'p', kind: 'process-pause', params: {} }],
      [8000, 'fault', 'fault.end', { id: 'p', kind: 'process-pause', params: {} }],
    ];
    // Paused: neither beats nor pings, and a ping buffered through the pause does not count as lying.
    expect(check(history(beats(600, 11900, [[4000, 8000]]), pings(1000, 11000, [[4000, 8000]]), pause)).valid).toBe(true);
  });

  it('answers unknown without a watchdog socket, without heartbeats, when the receiver died, or on too short a window', () => {
    const noSocket = new SyntheticHistory();
    noSocket.at(500).add('harness', 'scenario.ready', {});
    noSocket.at(600).add('target', 'probe', { probe: 'heartbeat' }, 'bot-1');
    noSocket.at(12000).add('harness', 'scenario.window.end', {});
    expect(check(noSocket).notes[0]).toMatch(/no watchdog socket/);
    expect(check(history(pings(1000, 11000))).notes[0]).toMatch(/no heartbeat probe after ready/);
    const died = history(beats(600, 11900), pings(1000, 11000), [[5000, 'harness', 'notify.receiver.exit', { code: 1 }]]);
    expect(check(died).notes[0]).toMatch(/notify receiver died/);
    expect(check(history(beats(600, 2000), pings(1000, 2000))).notes[0]).toMatch(/less than two watchdog periods/);
  });
});
