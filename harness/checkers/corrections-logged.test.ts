import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { correctionsLogged } from './corrections-logged.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes', 'rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(correctionsLogged, h.events, ctx);

let orderId = 100;
function fill(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', qty: number, before: number, opts: { id?: number } = {}) {
  const id = opts.id ?? orderId++;
  const after = before + (side === 'BUY' ? qty : -qty);
  h.at(t).add(
    'venue',
    'order.new',
    { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty: String(qty), positionBefore: String(before) },
    'bot-1',
  );
  h.at(t + 1).add('venue', 'order.fill', { orderId: id, symbol: 'BTCUSDT', status: 'FILLED', cumQty: String(qty), positionAfter: String(after) }, 'bot-1');
  return after;
}
const probe = (h: SyntheticHistory, t: number, position: number) =>
  h.at(t).add('target', 'probe', { probe: 'position', symbol: 'BTCUSDT', position: String(position) }, 'bot-1');

/**
 * bot-1 buys 0.016 at 1000 (probes 0 before, 0.016 after); at 3000 an operator sells 0.004 by hand
 * (a foreign MARKET order); the bot's next probe at 4000 shows 0.012. A scan from 2500 to 5000
 * matched `lines`.
 */
function manualTrade(lines: string[], opts: { scan?: boolean } = {}) {
  const h = new SyntheticHistory();
  const seqs: Record<string, number> = {};
  probe(h, 500, 0);
  fill(h, 1000, 'BUY', 0.016, 0);
  seqs.p1 = probe(h, 2000, 0.016);
  if (opts.scan !== false) seqs.scanStart = h.at(2500).add('fault', 'fault.start', { id: 'f2', kind: 'target-output-scan', params: {} }, 'bot-1');
  // As the venue records it: the order's events first, the fault's record once the venue has answered.
  fill(h, 3000, 'SELL', 0.004, 0.016, { id: 999 });
  seqs.foreign = h.at(3002).add('fault', 'foreign.order', { id: 'f1', orderId: 999, type: 'MARKET', side: 'SELL', qty: '0.004', status: 200 }, 'bot-1');
  seqs.p2 = probe(h, 4000, 0.012);
  if (opts.scan !== false) {
    for (const [i, text] of lines.entries()) h.at(5000).add('fault', 'output.line', { id: 'f2', file: 'stderr.log', line: i + 1, text }, 'bot-1');
    seqs.scan = h
      .at(5000)
      .add(
        'fault',
        'output.scan',
        { id: 'f2', windowMs: 2500, grep: 'position', matched: lines.length, files: [], secretsKnown: [], hits: [], running: true, maxLines: 50 },
        'bot-1',
      );
  }
  return { h, seqs };
}

describe('corrections-logged', () => {
  it('is registered and cites H-PORT-04', () => {
    expect(checker('corrections-logged')).toBe(correctionsLogged);
    expect(correctionsLogged.findings).toEqual(['004_8a8a9a4995486b8f.txt#H-PORT-04']);
  });

  it('passes a correction logged with its amount; the bot’s own fills are no correction', () => {
    const r = check(manualTrade(['WARNING position changed outside the bot: 0.016 -> 0.012 (-0.004)']).h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ ownFills: 1, foreignFills: 1, corrections: 1, covered: 1, silent: 0 });
  });

  it('fails a silent correction, or one logged without its amount, with probes, cause and scan as evidence', () => {
    for (const lines of [[], ['INFO position=0.012'], ['INFO order BUY 0.016 est=60010.0042 position 0.012', 'position 0.0045']]) {
      const { h, seqs } = manualTrade(lines);
      const r = check(h);
      expect(r.valid, JSON.stringify([r.stats, r.notes])).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([seqs.p2, seqs.p1, seqs.foreign, seqs.scan]);
      expect(r.violations[0]?.message).toMatch(
        /position went from 0.016 to 0.012, -0.004 beyond its own fills \(0\), .* names the amount 0.004: a silent correction/,
      );
    }
  });

  it('answers unknown without probes, without a correction, or without a covering scan', () => {
    expect(check(new SyntheticHistory()).valid).toBe('unknown');
    const own = new SyntheticHistory();
    probe(own, 500, 0);
    fill(own, 1000, 'BUY', 0.016, 0);
    probe(own, 2000, 0.016);
    const r = check(own);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/nothing was corrected/);
    const noScan = check(manualTrade([], { scan: false }).h);
    expect(noScan.valid).toBe('unknown');
    expect(noScan.notes[0]).toMatch(/no windowed output scan/);
  });

  it('does not judge probes while an order is working', () => {
    const h = new SyntheticHistory();
    probe(h, 500, 0);
    h.at(1000).add(
      'venue',
      'order.new',
      { orderId: 1, clientOrderId: 'c1', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.016', positionBefore: '0' },
      'bot-1',
    );
    probe(h, 1200, 0.016); // the fill has not reached the venue's history yet: not a quiet point
    expect(check(h).stats.judged).toBe(1);
  });
});
