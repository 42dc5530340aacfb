import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { boundedResources } from './bounded-resources.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ scenario: { id: 'synthetic' } as Scenario, capabilities: [], options });
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(boundedResources, h.events, ctx(options));

/** ready at 500 ms, one sample a second from 1000 ms; fds(i) gives the i-th sample's fd count. */
function run(n: number, fds: (i: number) => number, rss: (i: number) => number = () => 30_000, pid = 100): { h: SyntheticHistory; seqs: number[] } {
  const h = new SyntheticHistory();
  h.at(500).add('harness', 'scenario.ready', { instances: ['bot-1'] });
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) seqs.push(h.at(1000 + i * 1000).add('target', 'resources', { pid, rssKb: rss(i), threads: 1, fds: fds(i) }, 'bot-1'));
  h.at(1000 + n * 1000).add('harness', 'scenario.window.end', {});
  return { h, seqs };
}

describe('bounded-resources', () => {
  it('is registered and cites the session-pool leak', () => {
    expect(checker('bounded-resources')).toBe(boundedResources);
    expect(boundedResources.findings).toContain('004_8a8a9a4995486b8f.txt#H-ADAPTER-02');
  });

  it('passes when fds and RSS stay flat after the warm-up (warm-up growth does not count)', () => {
    const { h } = run(
      12,
      (i) => (i < 2 ? 5 : 11),
      (i) => 30_000 + i * 100,
    );
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ series: 1, maxFdGrowth: 0 });
    expect(r.stats.samples).toBe(10);
  });

  it('fails when fds keep growing, with the peak and the baseline sample as evidence', () => {
    const { h, seqs } = run(12, (i) => 10 + Math.max(0, i - 3));
    const r = check(h, { maxFdGrowth: 3 });
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    // warm-up 2000 ms after ready at 500: the first judged sample is the one at 3000 ms (i = 2).
    expect(r.violations[0]?.evidence).toEqual([seqs[11], seqs[2]]);
    expect(r.violations[0]?.message).toMatch(/fds grew from 10 .* to 18 .*\(\+8, bound \+3\)/);
  });

  it('fails on an RSS spike beyond the bound even if it recedes', () => {
    const { h, seqs } = run(
      10,
      () => 10,
      (i) => (i === 6 ? 90_000 : 30_000),
    );
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([seqs[6], seqs[2]]);
    expect(r.violations[0]?.message).toMatch(/RSS grew .*\+200%/);
  });

  it('fails a slow steady leak over a soak run (the long-run RSS findings, e.g. 004#H-ENG-02)', () => {
    // One sample a second for an hour, RSS climbing 10 kB a second from 30 MB: +120% at the end.
    const { h, seqs } = run(
      3600,
      () => 10,
      (i) => 30_000 + i * 10,
    );
    const r = check(h);
    expect(boundedResources.findings).toContain('004_8a8a9a4995486b8f.txt#H-ENG-02');
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([seqs[3599], seqs[2]]);
    expect(r.violations[0]?.message).toMatch(/RSS grew .*\+120%/);
    // The first 20 s of the same leak stay within the bound: a short scenario cannot decide it.
    expect(
      check(
        run(
          20,
          () => 10,
          (i) => 30_000 + i * 10,
        ).h,
      ).valid,
    ).toBe(true);
  });

  it('is unknown with too few samples after the warm-up, or without a trading window', () => {
    expect(check(run(5, () => 10).h).valid).toBe('unknown'); // 3 samples after warm-up
    const none = new SyntheticHistory();
    none.at(100).add('target', 'resources', { pid: 1, rssKb: 1, threads: 1, fds: 1 }, 'bot-1');
    const r = check(none);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/never became ready/);
  });

  it('judges a restarted process as its own series', () => {
    const h = new SyntheticHistory();
    h.at(0).add('harness', 'scenario.ready', {});
    for (let i = 0; i < 6; i++) h.at(2000 + i * 1000).add('target', 'resources', { pid: 1, rssKb: 30_000, threads: 1, fds: 10 }, 'bot-1');
    for (let i = 0; i < 6; i++) h.at(8000 + i * 1000).add('target', 'resources', { pid: 2, rssKb: 30_000, threads: 1, fds: 40 }, 'bot-1');
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats.series).toBe(2);
  });
});
