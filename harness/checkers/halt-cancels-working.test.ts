import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { haltCancelsWorking } from './halt-cancels-working.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes', 'rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(haltCancelsWorking, h.events, ctx);

const order = (h: SyntheticHistory, t: number, id: number, reduceOnly = false) =>
  h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.016', reduceOnly, positionBefore: '0' },
      'bot-1',
    );
const fill = (h: SyntheticHistory, t: number, id: number, status: 'PARTIALLY_FILLED' | 'FILLED') =>
  h.at(t).add('venue', 'order.fill', { orderId: id, symbol: 'BTCUSDT', status, cumQty: '0.004', positionAfter: '0.004' }, 'bot-1');

/**
 * Order 1 (adds risk) fills a slice every 300 ms from 1000; a rest-error starts at 1900; the bot
 * halts at 2000. `endAt` ends order 1 (cancel) at that time; without it, it fills on to 4600.
 */
function filling(opts: { endAt?: number; exit?: boolean; error?: boolean } = {}) {
  const h = new SyntheticHistory();
  const seqs: Record<string, number> = {};
  seqs.order = order(h, 1000, 1);
  if (opts.exit) seqs.exit = order(h, 1100, 2, true);
  for (let t = 1300; t <= 4600; t += 300) {
    if (t === 2200) {
      seqs.fault = h.at(1900).add('fault', 'fault.start', { id: 'f2', kind: 'rest-error', params: {} }, 'bot-1');
      seqs.halt = opts.error
        ? h.at(2000).add('target', 'probe', { probe: 'lifecycle', state: 'ERROR', reason: 'order rejected -2019: Margin is insufficient.' }, 'bot-1')
        : h.at(2000).add('target', 'probe', { probe: 'halt', reason: 'control-api', cooldownMs: 5000 }, 'bot-1');
    }
    if (opts.endAt !== undefined && t > opts.endAt) {
      if (!seqs.cancel) seqs.cancel = h.at(opts.endAt).add('venue', 'order.cancel', { orderId: 1, symbol: 'BTCUSDT', status: 'CANCELED' }, 'bot-1');
      continue;
    }
    seqs[`fill${t}`] = fill(h, t, 1, t === 4600 ? 'FILLED' : 'PARTIALLY_FILLED');
  }
  h.at(6000).add('harness', 'scenario.window.end', {});
  return { h, seqs };
}

describe('halt-cancels-working', () => {
  it('is registered and cites the panic-close, ERROR-without-cleanup and batch-shape findings', () => {
    expect(checker('halt-cancels-working')).toBe(haltCancelsWorking);
    expect(haltCancelsWorking.findings).toEqual([
      '003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without',
      '004_8a8a9a4995486b8f.txt#H-FSM-05',
      '003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads',
    ]);
  });

  it('judges the lifecycle entering ERROR like a halt (004#H-FSM-05): ghost orders fail, cancelled ones pass', () => {
    const { h, seqs } = filling({ error: true });
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/still working 2000 ms after it declared ERROR \(order rejected -2019: Margin is insufficient.\) at t=2.00s/);
    expect(r.violations[0]?.evidence.slice(1, 3)).toEqual([seqs.order, seqs.halt]);
    expect(check(filling({ error: true, endAt: 2500 }).h).valid).toBe(true);
  });

  it('ignores lifecycle states other than ERROR', () => {
    const h = new SyntheticHistory();
    order(h, 1000, 1);
    h.at(2000).add('target', 'probe', { probe: 'lifecycle', state: 'STOPPING', reason: 'signal' }, 'bot-1');
    h.at(6000).add('harness', 'scenario.window.end', {});
    expect(check(h).valid).toBe('unknown');
  });

  it('passes a working order cancelled within the bound after the halt; a reduce-only exit may finish', () => {
    const r = check(filling({ endAt: 3100, exit: true }).h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ halts: 1, judgedHalts: 1, workingAtHalt: 1, endedInTime: 1, leftWorking: 0 });
  });

  it('fails an order that goes on filling after the bound, with the fill, the order, the halt and the failing fault as evidence', () => {
    const { h, seqs } = filling();
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.stats.fillsAfterBound).toBe(2); // 4300 and 4600, after 2000 + 2000
    expect(r.violations[0]?.evidence).toEqual([seqs.fill4300, seqs.order, seqs.halt, seqs.fault]);
    expect(r.violations[0]?.message).toMatch(
      /order 1 \(BUY 0.016 BTCUSDT\) was still working 2000 ms after it declared a halt \(control-api\) .* ended only 2600 ms after that, filling 2 more time\(s\)/,
    );
  });

  it('fails an order cancelled only after the bound, with the late cancel as evidence', () => {
    const { h, seqs } = filling({ endAt: 4200 });
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence[0]).toBe(seqs.cancel);
  });

  it('answers unknown without a halt, or when nothing was working at the halt', () => {
    const none = new SyntheticHistory();
    order(none, 1000, 1);
    expect(check(none).valid).toBe('unknown');
    const idle = new SyntheticHistory();
    order(idle, 1000, 1);
    fill(idle, 1100, 1, 'FILLED');
    idle.at(2000).add('target', 'probe', { probe: 'halt', reason: 'kill-file' }, 'bot-1');
    idle.at(6000).add('harness', 'scenario.window.end', {});
    const r = check(idle);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/not exercised/);
  });
});
