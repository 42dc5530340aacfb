import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { haltGatesAllOrders } from './halt-gates-all-orders.ts';
import { checker } from './registry.ts';

const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['rest-orders', 'probes'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(haltGatesAllOrders, events, { ...ctx, options });

let nextId = 1;

function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', pos: string, cid: string, opts: { reduceOnly?: boolean; instance?: string } = {}): number {
  return h.at(t).add(
    'venue',
    'order.new',
    {
      orderId: nextId++,
      clientOrderId: cid,
      symbol: 'BTCUSDT',
      side,
      type: 'MARKET',
      qty: '0.016',
      reduceOnly: opts.reduceOnly ?? false,
      positionBefore: pos,
    },
    opts.instance ?? 'bot-1',
  );
}

function probe(h: SyntheticHistory, t: number, data: Record<string, unknown>, instance = 'bot-1'): number {
  return h.at(t).add('target', 'probe', data, instance);
}

/** The bot decides an order (order probe), then the venue takes it a few ms later. */
function decidedOrder(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', pos: string, cid: string, reduceOnly = false): number {
  probe(h, t, { probe: 'order', clientOrderId: cid, side, qty: 0.016, reduceOnly });
  return order(h, t + 5, side, pos, cid, { reduceOnly });
}

function tradingThenHalt(): { h: SyntheticHistory; halt: number } {
  const h = new SyntheticHistory();
  decidedOrder(h, 1000, 'BUY', '0', 'c1');
  decidedOrder(h, 2000, 'SELL', '0.016', 'c2', true);
  const halt = probe(h, 2500, { probe: 'halt', reason: 'consecutive-rejects', cooldownMs: 5000 });
  return { h, halt };
}

describe('halt-gates-all-orders', () => {
  it('is registered and cites the findings it decides', () => {
    expect(checker('halt-gates-all-orders')).toBe(haltGatesAllOrders);
    expect(haltGatesAllOrders.findings).toEqual([
      '001_0474a2fd1532b929.txt#M1',
      '001_0474a2fd1532b929.txt#on-order-filled-checks-critical-error-but-not',
      '001_0474a2fd1532b929.txt#M9',
      '004_8a8a9a4995486b8f.txt#H-PORT-02',
      '001_0474a2fd1532b929.txt#C5',
      '002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted',
    ]);
  });

  it('passes when the bot opens no risk between halt and resume, exits included, and trades after resuming', () => {
    const { h } = tradingThenHalt();
    h.at(3000).add('target', 'target.start', { pid: 2 }, 'bot-1'); // restarted while halted
    probe(h, 4000, { probe: 'halt', reason: 'consecutive-rejects', restored: true, cooldownMs: 3500 });
    probe(h, 7500, { probe: 'resume', reason: 'consecutive-rejects' });
    decidedOrder(h, 8000, 'SELL', '0', 'c3');
    const r = check(h.events, { minHaltMs: 5000 });
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ halts: 1, resumes: 1, earlyResumes: 0, restartsWhileHalted: 1, riskOrders: 2, riskWhileHalted: 0 });
  });

  it('flags a retry that goes out while halted (001#M1): evidence the order, then the halt', () => {
    const { h, halt } = tradingThenHalt();
    probe(h, 3000, { probe: 'intent', intent: 3, clientOrderId: 'c3', attempt: 2 });
    const bad = order(h, 3010, 'SELL', '0', 'c3');
    probe(h, 7500, { probe: 'resume', reason: 'consecutive-rejects' });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([bad, halt]);
    expect(r.violations[0]?.message).toMatch(/risk-increasing SELL 0.016 .* after it printed halt \(consecutive-rejects\)/);
  });

  it('keeps the halt across a restart: a restarted bot that trades without resuming fails (001#M9)', () => {
    const { h, halt } = tradingThenHalt();
    h.at(3000).add('target', 'target.start', { pid: 2 }, 'bot-1');
    const bad = decidedOrder(h, 5000, 'BUY', '0', 'rb-1');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([bad, halt]);
    expect(r.violations[0]?.message).toMatch(/restarted in between/);
    expect(r.stats.restartsWhileHalted).toBe(1);
  });

  it('keeps an operator’s runtime halt (control API) across a restart (002#runtime-overrides-not-persisted)', () => {
    const h = new SyntheticHistory();
    decidedOrder(h, 1000, 'BUY', '0', 'c1');
    h.at(2400).add('fault', 'control.halt', { id: 'f1', status: 200, body: '{"halted":true}' }, 'bot-1');
    const halt = probe(h, 2405, { probe: 'halt', reason: 'control-api', cooldownMs: 5000 });
    h.at(3500).add('target', 'target.start', { pid: 2 }, 'bot-1');
    const bad = decidedOrder(h, 5000, 'SELL', '0', 'rb-1');
    const r = check(h.events, { minHaltMs: 4500 });
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([bad, halt]);
    expect(r.violations[0]?.message).toMatch(/halt \(control-api\), without resuming \(it was restarted in between\)/);
    // The same history with the halt restored and resumed after the cooldown passes.
    const ok = new SyntheticHistory();
    decidedOrder(ok, 1000, 'BUY', '0', 'c1');
    probe(ok, 2405, { probe: 'halt', reason: 'control-api', cooldownMs: 5000 });
    ok.at(3500).add('target', 'target.start', { pid: 2 }, 'bot-1');
    probe(ok, 4500, { probe: 'halt', reason: 'control-api', restored: true, cooldownMs: 2900 });
    probe(ok, 7410, { probe: 'resume', reason: 'control-api' });
    decidedOrder(ok, 8000, 'SELL', '0', 'c2');
    expect(check(ok.events, { minHaltMs: 4500 }).valid).toBe(true);
  });

  it('does not judge an order the bot decided before the halt and the venue took within inFlightMs', () => {
    const h = new SyntheticHistory();
    probe(h, 1000, { probe: 'order', clientOrderId: 'c1', side: 'BUY' });
    probe(h, 1001, { probe: 'halt', reason: 'kill-file' });
    order(h, 1020, 'BUY', '0', 'c1');
    expect(check(h.events).valid).toBe(true);
    expect(check(h.events).stats.decidedBeforeHalt).toBe(1);
    // Decided long before and sent late (held back by a timer): judged.
    expect(check(h.events, { inFlightMs: 10 }).valid).toBe(false);
  });

  it('a resume ends only its own reason: a clock-skew resume does not lift a kill-switch halt', () => {
    const { h, halt } = tradingThenHalt();
    probe(h, 2600, { probe: 'halt', reason: 'clock-skew' });
    probe(h, 3000, { probe: 'resume', reason: 'clock-skew' });
    const bad = decidedOrder(h, 3500, 'BUY', '0', 'c3');
    const r = check(h.events);
    expect(r.violations.map((v) => v.evidence)).toEqual([[bad, halt]]);
  });

  it('a resume without a reason ends every halt', () => {
    const { h } = tradingThenHalt();
    probe(h, 2600, { probe: 'halt', reason: 'halt-state-unreadable' });
    probe(h, 8000, { probe: 'resume', cause: 'halt-state-unreadable' });
    decidedOrder(h, 9000, 'BUY', '0', 'c3');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ halts: 2, resumes: 2 });
  });

  it('with minHaltMs, a resume before the cooldown does not lift the halt until it is over', () => {
    const { h, halt } = tradingThenHalt();
    const resume = probe(h, 3000, { probe: 'resume', reason: 'consecutive-rejects' });
    const bad = decidedOrder(h, 4000, 'BUY', '0', 'c3');
    decidedOrder(h, 8000, 'SELL', '0.016', 'c4', true);
    decidedOrder(h, 9000, 'SELL', '0', 'c5');
    const r = check(h.events, { minHaltMs: 5000 });
    expect(r.violations.map((v) => v.evidence)).toEqual([[bad, halt, resume]]);
    expect(r.stats.earlyResumes).toBe(1);
    expect(check(h.events).valid).toBe(true); // no cooldown asked for
  });

  it('an operator kill file halts from its fault.start + reactMs to its end, even if the bot never says halt', () => {
    const h = new SyntheticHistory();
    decidedOrder(h, 1000, 'BUY', '0', 'c1');
    const start = h.at(2000).add('fault', 'fault.start', { id: 'f1', kind: 'kill-switch-file', params: { file: 'refbot.kill', durationMs: 3000 } }, 'bot-1');
    decidedOrder(h, 2500, 'SELL', '0.016', 'c2', true); // exit: fine
    decidedOrder(h, 2800, 'SELL', '0', 'c3'); // within reactMs: not judged
    const bad = decidedOrder(h, 4000, 'BUY', '0.016', 'c4');
    h.at(5000).add('fault', 'fault.end', { id: 'f1', kind: 'kill-switch-file', params: {} }, 'bot-1');
    decidedOrder(h, 6000, 'SELL', '0', 'c5');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[bad, start]]);
    expect(r.violations[0]?.message).toMatch(/kill file was written/);
  });

  it('judges each instance on its own halts', () => {
    const { h } = tradingThenHalt();
    order(h, 3000, 'BUY', '0', 'x1', { instance: 'bot-2' });
    expect(check(h.events).valid).toBe(true);
  });

  it('is unknown when no halt happened, or when nothing risk-increasing was ever sent', () => {
    const h = new SyntheticHistory();
    decidedOrder(h, 1000, 'BUY', '0', 'c1');
    const r = check(h.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no halt happened/);
    const quiet = new SyntheticHistory();
    probe(quiet, 1000, { probe: 'halt', reason: 'kill-file' });
    order(quiet, 2000, 'SELL', '0.016', 'c1', { reduceOnly: true });
    const q = check(quiet.events);
    expect(q.valid).toBe('unknown');
    expect(q.notes[0]).toMatch(/no risk-increasing order/);
  });

  it('is unknown without probes or order capability, and rejects a non-numeric option', () => {
    const { h } = tradingThenHalt();
    expect(runCheck(haltGatesAllOrders, h.events, { ...ctx, capabilities: ['rest-orders'] }).valid).toBe('unknown');
    const r = check(h.events, { minHaltMs: '5s' });
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/minHaltMs must be a number/);
  });
});
