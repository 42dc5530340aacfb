import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { drawdownHaltAtThreshold } from './drawdown-halt-at-threshold.ts';
import { checker } from './registry.ts';

const ctx = (options: Record<string, unknown> = { thresholdPct: 50 }) => ({ scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes'], options });
const check = (h: SyntheticHistory, options?: Record<string, unknown>) => runCheck(drawdownHaltAtThreshold, h.events, ctx(options));

const read = (h: SyntheticHistory, t: number, equityUsdt: number) =>
  h.at(t).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 200, fp: 'b', equityUsdt }, 'bot-1');
const glitch = (h: SyntheticHistory, t: number, balanceUsdt: number) => {
  const g = h.at(t).add('fault', 'balance.glitched', { id: 'f1', n: 1, balanceUsdt }, 'bot-1');
  h.at(t).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 200, fp: 'b' }, 'bot-1');
  return g;
};
const halt = (h: SyntheticHistory, t: number) => h.at(t).add('target', 'probe', { probe: 'halt', reason: 'drawdown' }, 'bot-1');
const resume = (h: SyntheticHistory, t: number) => h.at(t).add('target', 'probe', { probe: 'resume', reason: 'drawdown' }, 'bot-1');

describe('drawdown-halt-at-threshold', () => {
  it('is registered and cites M6 and E-M11', () => {
    expect(checker('drawdown-halt-at-threshold')).toBe(drawdownHaltAtThreshold);
    expect(drawdownHaltAtThreshold.findings).toEqual([
      '001_0474a2fd1532b929.txt#M6',
      '000_2ae31cbfe79758d1.txt#E-M11',
      '003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade',
    ]);
  });

  it('passes: no halt at 35 %, a halt at 60 % after two readings, resume on recovery, no halt at a 10 % pullback', () => {
    const h = new SyntheticHistory();
    read(h, 0, 10_000);
    glitch(h, 1000, 6500);
    glitch(h, 2000, 6500);
    glitch(h, 3000, 4000);
    glitch(h, 4000, 4000);
    halt(h, 4100);
    read(h, 5000, 10_000);
    resume(h, 5100);
    glitch(h, 6000, 9000);
    glitch(h, 7000, 9000);
    read(h, 9000, 10_000);
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ readings: 9, confirmed: 1, halts: 1, missedHalts: 0, falseHalts: 0 });
  });

  it('fails a bot that does not halt at the account’s drawdown (M6: it measures another peak)', () => {
    const h = new SyntheticHistory();
    const peak = read(h, 0, 10_000);
    glitch(h, 1000, 4000);
    const confirming = glitch(h, 2000, 4000);
    read(h, 6000, 10_000);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([confirming, peak]);
    expect(r.violations[0]?.message).toMatch(
      /equity fell to 4000\.00 USDT, 60\.00 % below its peak 10000\.00 for 2 reading\(s\) in a row \(limit 50 %\), and it did not halt within 2500 ms/,
    );
  });

  it('fails a halt at a small pullback after a recovery (E-M11: the peak handled against its rule)', () => {
    const h = new SyntheticHistory();
    read(h, 0, 10_000);
    glitch(h, 1000, 4000);
    glitch(h, 2000, 4000);
    halt(h, 2100);
    read(h, 3000, 10_000);
    resume(h, 3100);
    const pullback = glitch(h, 4000, 9000);
    const wrong = halt(h, 4100);
    read(h, 8000, 10_000);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence[0]).toBe(wrong);
    expect(r.violations[0]?.evidence[1]).toBe(pullback);
    expect(r.violations[0]?.message).toMatch(
      /halted for drawdown while its latest reading was 10\.00 % below its peak 10000\.00 USDT \(limit 50 %, 0 of the last 2/,
    );
  });

  it('answers unknown without the threshold, without readings, or when nothing crossed it', () => {
    const h = new SyntheticHistory();
    read(h, 0, 10_000);
    read(h, 1000, 9_800);
    expect(check(h).valid).toBe('unknown');
    expect(check(h, {}).valid).toBe('unknown');
    expect(check(new SyntheticHistory()).valid).toBe('unknown');
  });
});
