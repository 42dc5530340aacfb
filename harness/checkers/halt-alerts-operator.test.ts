import { describe, expect, it } from 'vitest';
import { SyntheticHistory } from '../history/synthetic.ts';
import { haltAlertsOperator } from './halt-alerts-operator.ts';
import type { CheckContext } from './types.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ capabilities: ['alerts'], options }) as unknown as CheckContext;

function halted(): { h: SyntheticHistory; kill: number; halt: number } {
  const h = new SyntheticHistory();
  h.at(0).add('target', 'probe', { probe: 'ready' }, 'bot-1');
  const kill = h.at(3000).add('fault', 'kill-file.written', { id: 'f1', file: '/x/refbot.kill' }, 'bot-1');
  const halt = h.at(3100).add('target', 'probe', { probe: 'halt', reason: 'kill-file', cooldownMs: 2000 }, 'bot-1');
  return { h, kill, halt };
}

describe('halt-alerts-operator', () => {
  it('cites H4, C6 and E-M6', () => {
    expect(haltAlertsOperator.findings).toEqual(['001_0474a2fd1532b929.txt#H4', '001_0474a2fd1532b929.txt#C6', '000_2ae31cbfe79758d1.txt#E-M6']);
    expect(haltAlertsOperator.requires).toEqual(['alerts']);
  });

  it('passes when the halt is alerted in time', () => {
    const { h } = halted();
    h.at(3150).add('target', 'probe', { probe: 'alert', kind: 'halt', text: 'kill-file: no new risk' }, 'bot-1');
    h.at(9000).add('target', 'target.exit', { code: 0 }, 'bot-1');
    const r = haltAlertsOperator.check(h.events, ctx());
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ halts: 1, alerted: 1 });
  });

  it('fails on a halt nobody was told about, halt first, then its cause', () => {
    const { h, kill, halt } = halted();
    h.at(3200).add('target', 'probe', { probe: 'alert', kind: 'lifecycle', text: 'RUNNING ready' }, 'bot-1'); // not about the halt
    h.at(6000).add('target', 'probe', { probe: 'alert', kind: 'halt', text: 'too late' }, 'bot-1'); // after alertMs
    h.at(9000).add('target', 'target.exit', { code: 0 }, 'bot-1');
    const r = haltAlertsOperator.check(h.events, ctx());
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([halt, kill]);
    expect(r.violations[0]?.message).toMatch(/halted \(kill-file\).*no alert.*2000 ms.*#H4/);
  });

  it('fails a halt whose alert was dropped at a stop right after it (E-M6), with the stop request as evidence', () => {
    const { h, kill, halt } = halted();
    const stop = h.at(3120).add('fault', 'process.signal', { id: 'f2', signal: 'SIGTERM', pid: 1, graceMs: 3000 }, 'bot-1');
    h.at(3300).add('target', 'target.exit', { code: 0 }, 'bot-1');
    h.at(9000).add('market', 'tick', { symbol: 'BTCUSDT', i: 1, bid: '1', ask: '2', mid: '1.5' });
    const r = haltAlertsOperator.check(h.events, ctx());
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([halt, kill, stop]);
    expect(r.violations[0]?.message).toMatch(/asked to stop \(SIGTERM\) 20 ms after the halt \[000_2ae31cbfe79758d1\.txt#E-M6\]/);
  });

  it('passes a halt alerted before the bot exits on a stop right after it', () => {
    const { h } = halted();
    h.at(3120).add('fault', 'process.signal', { id: 'f2', signal: 'SIGTERM', pid: 1, graceMs: 3000 }, 'bot-1');
    h.at(3140).add('target', 'probe', { probe: 'alert', kind: 'halt', text: 'kill-file: no new risk' }, 'bot-1');
    h.at(3300).add('target', 'target.exit', { code: 0 }, 'bot-1');
    h.at(9000).add('market', 'tick', { symbol: 'BTCUSDT', i: 1, bid: '1', ask: '2', mid: '1.5' });
    expect(haltAlertsOperator.check(h.events, ctx()).valid).toBe(true);
  });

  it('another instance’s alert does not count', () => {
    const { h } = halted();
    h.at(3150).add('target', 'probe', { probe: 'alert', kind: 'halt', text: 'kill-file' }, 'bot-2');
    h.at(9000).add('target', 'target.exit', { code: 0 }, 'bot-1');
    expect(haltAlertsOperator.check(h.events, ctx()).valid).toBe(false);
  });

  it('is unknown without a halt, or when the run ended before alertMs passed', () => {
    const quiet = new SyntheticHistory();
    quiet.at(0).add('target', 'probe', { probe: 'alert', kind: 'lifecycle', text: 'RUNNING' }, 'bot-1');
    expect(haltAlertsOperator.check(quiet.events, ctx()).valid).toBe('unknown');
    const { h } = halted();
    h.at(4000).add('target', 'target.exit', { code: 0 }, 'bot-1');
    const r = haltAlertsOperator.check(h.events, ctx({ alertMs: 2000 }));
    expect(r.valid).toBe('unknown');
    expect(r.stats.unjudged).toBe(1);
  });
});
