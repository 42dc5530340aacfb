import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { noReconnectChurn } from './no-reconnect-churn.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['ws-market'], options: {} };
const check = (h: SyntheticHistory) => runCheck(noReconnectChurn, h.events, ctx);

function run(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(0).add('target', 'target.start', { pid: 1 }, 'bot-1');
  h.at(400).add('venue', 'ws.open', { connId: 1, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: ['btcusdt@bookticker'] }, 'bot-1');
  h.at(500).add('harness', 'scenario.ready', { instances: ['bot-1'] });
  return h;
}

describe('no-reconnect-churn', () => {
  it('is registered and cites E-M10', () => {
    expect(checker('no-reconnect-churn')).toBe(noReconnectChurn);
    expect(noReconnectChurn.findings).toEqual(['000_2ae31cbfe79758d1.txt#E-M10']);
  });

  it('passes a feed left alone, and reconnects a fault or a restart explains', () => {
    const h = run();
    h.at(6000).add('fault', 'fault.start', { id: 'f1', kind: 'link-reset', link: 'market-ws' }, 'bot-1');
    h.at(6001).add('venue', 'ws.close', { connId: 1, kind: 'market', code: 1006 }, 'bot-1');
    h.at(6500).add('fault', 'fault.end', { id: 'f1', kind: 'link-reset' }, 'bot-1');
    h.at(7000).add('venue', 'ws.open', { connId: 2, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: [] }, 'bot-1');
    h.at(12_000).add('target', 'target.start', { pid: 2 }, 'bot-1');
    h.at(12_500).add('venue', 'ws.open', { connId: 3, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: [] }, 'bot-1');
    h.at(20_000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ opens: 2, churn: 0 });
  });

  it('fails reconnects with nothing wrong, each with its open and the close before it', () => {
    const h = run();
    const c1 = h.at(5000).add('venue', 'ws.close', { connId: 1, kind: 'market', code: 1000 }, 'bot-1');
    const o2 = h.at(5100).add('venue', 'ws.open', { connId: 2, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: [] }, 'bot-1');
    const c2 = h.at(8000).add('venue', 'ws.close', { connId: 2, kind: 'market', code: 1000 }, 'bot-1');
    const o3 = h.at(8100).add('venue', 'ws.open', { connId: 3, kind: 'market', path: '/ws/btcusdt@bookTicker', streams: [] }, 'bot-1');
    h.at(20_000).add('harness', 'scenario.window.end', {});
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([
      [o2, c1],
      [o3, c2],
    ]);
    expect(r.violations[0]?.message).toMatch(
      /opened a new market connection .* 4600 ms into the run with no fault or restart to explain it, 100 ms after connection 1 closed/,
    );
  });

  it('answers unknown when faults leave no quiet time, or without any connection', () => {
    const busy = run();
    busy.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'link-stall', link: 'market-ws' }, 'bot-1');
    busy.at(9000).add('fault', 'fault.end', { id: 'f1', kind: 'link-stall' }, 'bot-1');
    busy.at(12_000).add('harness', 'scenario.window.end', {});
    expect(check(busy).valid).toBe('unknown');
    const none = new SyntheticHistory();
    none.at(500).add('harness', 'scenario.ready', { instances: ['bot-1'] });
    none.at(20_000).add('harness', 'scenario.window.end', {});
    expect(check(none).valid).toBe('unknown');
  });
});
