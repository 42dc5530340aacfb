import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { healthTellsTruth } from './health-tells-truth.ts';
import { checker } from './registry.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ scenario: { id: 'synthetic' } as Scenario, capabilities: ['control-api'], options });
const check = (h: SyntheticHistory, options?: Record<string, unknown>) => runCheck(healthTellsTruth, h.events, ctx(options));

/**
 * A history of health answers every 200 ms from 0 to `until` (answered 5 ms after being sent) with
 * the status `status(t)` gives for the send time, and a market-data cut from 2000 to 4000 ms.
 * Events are added in time order (the history's order).
 */
function run(status: (sent: number) => number, opts: { until?: number; cut?: boolean } = {}) {
  const h = new SyntheticHistory();
  const seqs = new Map<string, number>();
  const until = opts.until ?? 7000;
  const cut = opts.cut ?? true;
  for (let sent = 0; sent <= until; sent += 200) {
    if (cut && sent === 2000)
      seqs.set(
        'start',
        h.at(2000).add('fault', 'fault.start', { id: 'f2', kind: 'ws-disconnect', link: 'market-ws', impairs: ['market-data'], params: {} }, 'bot-1'),
      );
    if (cut && sent === 4000)
      seqs.set('end', h.at(4000).add('fault', 'fault.end', { id: 'f2', kind: 'ws-disconnect', impairs: ['market-data'], params: {} }, 'bot-1'));
    const s = status(sent);
    const seq = h
      .at(sent + 5)
      .add('fault', 'health.answer', { id: 'f1', path: '/health', status: s, ms: 5, body: s === 200 ? '{"status":"ok"}' : '{"status":"unhealthy"}' }, 'bot-1');
    seqs.set(`a${sent}`, seq);
  }
  h.at(until + 100).add('harness', 'scenario.window.end', {});
  return { h, seqs };
}
const honest = (sent: number) => (sent >= 2800 && sent < 4400 ? 503 : 200);

describe('health-tells-truth', () => {
  it('is registered and cites 002#P3-3 and 004#C-SERV-05', () => {
    expect(checker('health-tells-truth')).toBe(healthTellsTruth);
    expect(healthTellsTruth.findings).toEqual(['002_3e6ca2bf6dfde12d.txt#P3-3', '004_8a8a9a4995486b8f.txt#C-SERV-05']);
  });

  /** Health answers every 200 ms (5 ms each); SIGTERM at 3000, exit at 4500; status(t) for the send time. */
  function stopping(status: (sent: number) => number) {
    const h = new SyntheticHistory();
    const seqs = new Map<string, number>();
    for (let sent = 0; sent <= 6000; sent += 200) {
      if (sent === 3000) seqs.set('signal', h.at(3000).add('fault', 'process.signal', { id: 'f2', signal: 'SIGTERM', pid: 1, graceMs: 3000 }, 'bot-1'));
      if (sent === 4600) h.at(4500).add('target', 'target.exit', { pid: 1, code: 0, signal: null }, 'bot-1');
      const s = sent > 4500 ? 0 : status(sent);
      seqs.set(`a${sent}`, h.at(sent + 5).add('fault', 'health.answer', { id: 'f1', path: '/health', status: s, ms: 5, body: s === 200 ? 'ok' : '' }, 'bot-1'));
    }
    h.at(6100).add('harness', 'scenario.window.end', {});
    return { h, seqs };
  }

  it('passes an endpoint that says unhealthy once asked to stop (C-SERV-05), without calling that a false alarm', () => {
    const r = check(stopping((t) => (t >= 3200 ? 503 : 200)).h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ stops: 1, judgedStopping: 6, healthyStopping: 0, falseAlarms: 0 });
  });

  it('fails an endpoint that says ok while the bot shuts down, with the answer and the signal as evidence', () => {
    const { h, seqs } = stopping(() => 200);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.stats.healthyStopping).toBe(6); // sent at 3400 ... 4400
    expect(r.violations[0]?.evidence).toEqual([seqs.get('a3400'), seqs.get('signal')]);
    expect(r.violations[0]?.message).toMatch(/answered 200 .* 400 ms after it was asked to stop \(SIGTERM; bound 300 ms\)/);
  });

  it('passes an endpoint that turns unhealthy within detectMs of a market-data cut and healthy soon after the heal', () => {
    const r = check(run(honest).h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ judgedInside: 3, falseHealthy: 0, recoveries: 1, recoveryMs: 400, falseAlarms: 0 });
  });

  it('counts a request with no answer in time as unhealthy', () => {
    const r = check(run((t) => (t >= 2800 && t < 4400 ? 0 : 200)).h);
    expect(r.valid).toBe(true);
    expect(r.stats.noAnswer).toBe(8);
  });

  it('fails an endpoint that says ok while the market data is cut, with the answer and the cut as evidence', () => {
    const { h, seqs } = run(() => 200);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.stats.falseHealthy).toBe(3); // sent at 3600, 3800 and 4000 (detectMs 1500 after the cut at 2000)
    expect(r.violations[0]?.evidence).toEqual([seqs.get('a3600'), seqs.get('start')]);
    expect(r.violations[0]?.message).toMatch(/answered 200 .* 1600 ms into ws-disconnect \(f2, cutting market-data\)/);
  });

  it('honours detectMs: a bot given longer to notice passes a later turn', () => {
    const late = (t: number) => (t >= 3800 && t < 4400 ? 503 : 200);
    expect(check(run(late).h).valid).toBe(false);
    expect(check(run(late).h, { detectMs: 1700 }).valid).toBe(true);
  });

  it('fails an endpoint still unhealthy recoverMs after the heal', () => {
    const { h, seqs } = run((t) => (t >= 2800 && t < 6600 ? 503 : 200));
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.stats.notRecovered).toBe(1);
    expect(r.violations[0]?.evidence).toEqual([seqs.get('a6000'), seqs.get('end')]);
    expect(r.violations[0]?.message).toMatch(/still answered 503 .* 2000 ms after the last heal .* healthy again only after 2600 ms/);
  });

  it('fails a false alarm while nothing is cut, but not a missing answer or the start-up before the first ok', () => {
    const { h, seqs } = run((t) => (t < 400 ? 503 : t === 1000 ? 0 : honest(t) === 503 || t === 6800 ? 503 : 200));
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.stats.falseAlarms).toBe(1);
    expect(r.violations[0]?.evidence).toEqual([seqs.get('a6800'), seqs.get('end')]);
    expect(r.violations[0]?.message).toMatch(/while nothing it needs was cut off \(last heal at t=4.00s\)/);
  });

  it('answers unknown without answers, or when no answer fell in the judged part of a cut', () => {
    expect(check(new SyntheticHistory()).valid).toBe('unknown');
    const noCut = check(run(() => 200, { cut: false }).h);
    expect(noCut.valid).toBe('unknown');
    expect(noCut.notes[0]).toMatch(/not asked when it mattered/);
    // Only cuts of the configured channels count.
    expect(check(run(() => 200).h, { channels: ['user-data'] }).valid).toBe('unknown');
  });

  it('does not judge recovery when the probe stopped asking too soon after the heal', () => {
    const r = check(run((t) => (t >= 2800 ? 503 : 200), { until: 5000 }).h);
    expect(r.valid).toBe(true);
    expect(r.stats.recoveries).toBe(0);
  });
});
