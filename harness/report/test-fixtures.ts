import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';

/** A scenario shaped like ws-disconnect-stale-prices, for report unit tests. */
export const SCENARIO = {
  id: 'synthetic',
  title: 'Synthetic <stale> & "quoted" scenario',
  description: '',
  findings: ['000_2ae31cbfe79758d1.txt#S-C2'],
  suites: [],
  requires: [],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 100, tickMs: 250, volPerTick: 0 },
  durationMs: 10_000,
  faults: [],
  checks: [{ name: 'no-risk-on-stale-market-data', options: { graceMs: 2000 } }],
} as unknown as Scenario;

function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', positionBefore: string): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: t, clientOrderId: `c${t}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty: '0.010', reduceOnly: false, positionBefore },
      'bot-1',
    );
}

export interface SyntheticRun {
  events: HistoryEvent[];
  /** Seq of the order sent while the market feed was stale (the violation's offending event). */
  staleOrder: number;
  faultStart: number;
}

/**
 * A complete run: market feed up, a 6 s market-ws outage from t=3000 during which the bot buys
 * (a violation), then recovery. `cutAfter` keeps only events up to that seq (a killed run).
 */
export function syntheticRun(opts: { staleTrade?: boolean; cutAfter?: number } = {}): SyntheticRun {
  const h = new SyntheticHistory();
  h.at(0).add('harness', 'run.start', {
    runId: '20261122-043000-abcd',
    seed: 3,
    target: 'refbot',
    targetOptions: { profile: 'naive' },
    runtime: 'local',
    scenarios: ['synthetic', 'never-started'],
    rerun: 'npx faultline run synthetic never-started --target refbot --target-opt profile=naive --seed 3 --runtime local',
    pid: 999_999_999,
  });
  h.at(1).add('harness', 'scenario.start', {
    id: 'synthetic',
    findings: SCENARIO.findings,
    schedule: [{ id: 'f1', kind: 'ws-disconnect', instance: 'bot-1', atMs: 3000, params: { durationMs: 6000 }, link: 'market-ws' }],
  });
  h.at(5).add('venue', 'ws.open', { connId: 1, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
  h.at(6).add('venue', 'ws.open', { connId: 2, kind: 'user', path: '/ws/key', streams: [] }, 'bot-1');
  h.at(10).add('harness', 'scenario.ready', { instances: ['bot-1'] });
  for (let t = 250; t <= 3000; t += 250)
    h.at(t).add('market', 'tick', { symbol: 'BTCUSDT', i: t / 250, bid: '99.9', ask: '100.1', mid: String(100 + t / 10_000) });
  order(h, 1000, 'BUY', '0.000');
  h.at(1001).add('venue', 'order.fill', { orderId: 1000, side: 'BUY', lastQty: '0.010', lastPrice: '100.1', positionAfter: '0.010' }, 'bot-1');
  const faultStart = h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'ws-disconnect', link: 'market-ws', params: { durationMs: 6000 } }, 'bot-1');
  h.at(3001).add('venue', 'ws.close', { connId: 1, kind: 'market', code: 1006 }, 'bot-1');
  const staleOrder = opts.staleTrade === false ? -1 : order(h, 6000, 'SELL', '0.000');
  h.at(9000).add('fault', 'fault.end', { id: 'f1', kind: 'ws-disconnect', link: 'market-ws', params: { durationMs: 6000 }, healedBy: 'schedule' }, 'bot-1');
  h.at(9200).add('venue', 'ws.open', { connId: 3, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
  for (let t = 9250; t <= 10_000; t += 250) h.at(t).add('market', 'tick', { symbol: 'BTCUSDT', i: t / 250, bid: '99.9', ask: '100.1', mid: '100.2' });
  h.at(10_010).add('harness', 'scenario.window.end', {});
  h.at(10_020).add('harness', 'scenario.end', { id: 'synthetic' });
  h.at(10_030).add('harness', 'run.end', { verdict: 'fail', exitCode: 1 });
  const sorted = [...h.events].sort((a, b) => a.t - b.t || a.seq - b.seq).map((e, seq) => ({ ...e, seq }));
  // Re-number in time order (as a real writer does) and keep the interesting seqs pointing right.
  const bySeq = new Map(h.events.map((e) => [e.seq, sorted.findIndex((x) => x.t === e.t && x.type === e.type)]));
  let events = sorted;
  if (opts.cutAfter !== undefined) events = sorted.filter((e) => e.seq <= (opts.cutAfter as number));
  for (const e of events) if (e.type === 'run.start' || e.type === 'run.end') delete e.scenario;
  return { events, staleOrder: bySeq.get(staleOrder) ?? -1, faultStart: bySeq.get(faultStart) ?? -1 };
}
