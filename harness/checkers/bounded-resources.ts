import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

interface Sample {
  seq: number;
  t: number;
  rssKb: number;
  fds: number;
  threads: number;
}

/** One process's samples (a restart is a new series: its pid differs). */
interface Series {
  instance: string;
  pid: number;
  samples: Sample[];
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/**
 * The bot's resources stay bounded: from its first `target resources` sample after a warm-up
 * (`warmupMs` after every instance is ready, default 2000) to the end of the trading window, its
 * open file descriptors grow by at most `maxFdGrowth` (default 20), its threads by at most
 * `maxThreadGrowth` (default 20) and its RSS by at most `maxRssGrowthPct` percent (default 50),
 * judged on the peak sample, so a leak and a spike both count. The runtime samples every second
 * (RSS, fds, threads from /proc or docker stats). Encodes:
 * - 004_8a8a9a4995486b8f.txt#H-ADAPTER-02: repeated link resets; open fds must stay bounded;
 * - 000_2ae31cbfe79758d1.txt#E-C2: failing reconciliation must leave the open-fd count flat;
 * - 002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client: repeated resets of
 *   the Redis link; open fds (and with them Redis connections) must stay bounded;
 * - 000_2ae31cbfe79758d1.txt#E-H8, #S-H3, #T-L8, 001_0474a2fd1532b929.txt#M15,
 *   003_a7371304fd1017c8.txt#hot-path-uses-repeated-np-append-on-ohlcv, 004_8a8a9a4995486b8f.txt#H-FSM-02,
 *   #H-UI-02, #H-ENG-02: unbounded in-memory growth; over the run the sampled RSS must level off (these
 *   leak little per event: the 15-minute soak-rss-levels-off scenario (suite soak), not a 20 s one, lets them cross the bound);
 * - 000_2ae31cbfe79758d1.txt#E-L3, 004_8a8a9a4995486b8f.txt#M-UI-01: oversized input read whole; RSS
 *   must not spike.
 * Unknown when no process has `minSamples` (default 5) samples after the warm-up.
 */
export const boundedResources: Checker = {
  name: 'bounded-resources',
  description: 'Open fds, threads and RSS of the bot grow by no more than set bounds over the trading window',
  findings: [
    '004_8a8a9a4995486b8f.txt#H-ADAPTER-02',
    '000_2ae31cbfe79758d1.txt#E-C2',
    '002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client',
    '000_2ae31cbfe79758d1.txt#E-H8',
    '000_2ae31cbfe79758d1.txt#S-H3',
    '000_2ae31cbfe79758d1.txt#T-L8',
    '001_0474a2fd1532b929.txt#M15',
    '003_a7371304fd1017c8.txt#hot-path-uses-repeated-np-append-on-ohlcv',
    '004_8a8a9a4995486b8f.txt#H-FSM-02',
    '004_8a8a9a4995486b8f.txt#H-UI-02',
    '004_8a8a9a4995486b8f.txt#H-ENG-02',
    '000_2ae31cbfe79758d1.txt#E-L3',
    '004_8a8a9a4995486b8f.txt#M-UI-01',
  ],
  requires: [],
  check(history, ctx): CheckResult {
    const warmupMs = numberOption(ctx.options, 'warmupMs', 2000);
    const maxFd = numberOption(ctx.options, 'maxFdGrowth', 20);
    const maxThreads = numberOption(ctx.options, 'maxThreadGrowth', 20);
    const maxRssPct = numberOption(ctx.options, 'maxRssGrowthPct', 50);
    const minSamples = numberOption(ctx.options, 'minSamples', 5);

    const ready = history.find((e) => e.src === 'harness' && e.type === 'scenario.ready');
    if (!ready) return unknown('the targets never became ready: no trading window to sample');
    const end = history.find((e) => e.src === 'harness' && e.type === 'scenario.window.end')?.t ?? Number.POSITIVE_INFINITY;
    const from = ready.t + warmupMs;
    const series = new Map<string, Series>();
    let marketConnects = 0;
    for (const e of history) {
      if (e.t < from || e.t > end || e.instance === undefined) continue;
      if (e.src === 'venue' && e.type === 'ws.open' && (e.data as { kind?: string }).kind === 'market') marketConnects++;
      if (e.src !== 'target' || e.type !== 'resources') continue;
      const d = e.data as Record<string, unknown>;
      const s: Sample = { seq: e.seq, t: e.t, rssKb: num(d.rssKb), fds: num(d.fds), threads: num(d.threads) };
      const id = `${e.instance}/${String(d.pid)}`;
      const sr = series.get(id) ?? { instance: e.instance, pid: Number(d.pid), samples: [] };
      series.set(id, sr);
      sr.samples.push(s);
    }

    const violations: Violation[] = [];
    const stats = { series: 0, samples: 0, marketConnects, maxFdGrowth: 0, maxThreadGrowth: 0, maxRssGrowthPct: 0 };
    const notes: string[] = [];
    for (const sr of series.values()) {
      if (sr.samples.length < minSamples) {
        notes.push(`${sr.instance} (pid ${sr.pid}): ${sr.samples.length} sample(s) after warm-up, fewer than ${minSamples}: not judged`);
        continue;
      }
      stats.series++;
      stats.samples += sr.samples.length;
      const base = sr.samples[0] as Sample;
      const peak = (f: (s: Sample) => number) => sr.samples.reduce((a, b) => (f(b) > f(a) ? b : a), base);
      const judge = (what: string, f: (s: Sample) => number, limit: number, pct: boolean, unit: string) => {
        if (!Number.isFinite(f(base))) return; // the runtime does not report this one
        const p = peak(f);
        const growth = pct ? ((f(p) - f(base)) / f(base)) * 100 : f(p) - f(base);
        const statKey = what === 'fds' ? ('maxFdGrowth' as const) : what === 'threads' ? ('maxThreadGrowth' as const) : ('maxRssGrowthPct' as const);
        stats[statKey] = Math.max(stats[statKey], Math.round(growth * 10) / 10);
        if (growth <= limit) return;
        // 004_8a8a9a4995486b8f.txt#H-ADAPTER-02, 000_2ae31cbfe79758d1.txt#E-C2 (fds) and the RSS findings:
        // the resource grew past its bound over the window.
        violations.push({
          t: p.t,
          instance: sr.instance,
          message:
            `${sr.instance} (pid ${sr.pid}) ${what} grew from ${f(base)}${unit} at t=${(base.t / 1000).toFixed(1)}s to ${f(p)}${unit} at t=${(p.t / 1000).toFixed(1)}s ` +
            `(+${pct ? `${growth.toFixed(0)}%` : growth}, bound +${limit}${pct ? '%' : ''})`,
          evidence: [p.seq, base.seq],
        });
      };
      judge('fds', (s) => s.fds, maxFd, false, '');
      judge('threads', (s) => s.threads, maxThreads, false, '');
      judge('RSS', (s) => s.rssKb, maxRssPct, true, ' kB');
    }
    if (violations.length > 0) return { valid: false, violations, notes, stats };
    if (stats.series === 0) {
      const r = unknown(`no process had ${minSamples} resource samples after the ${warmupMs} ms warm-up`, stats);
      return { ...r, notes: [...notes, ...r.notes] };
    }
    return {
      valid: true,
      violations: [],
      notes: [
        ...notes,
        `${stats.samples} samples: fds +${stats.maxFdGrowth} (bound ${maxFd}), threads +${stats.maxThreadGrowth} (bound ${maxThreads}), RSS +${stats.maxRssGrowthPct}% (bound ${maxRssPct}%)`,
      ],
      stats,
    };
  },
};
