import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { oneRecoveryAtATime } from './one-recovery-at-a-time.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['ws-market'], options: {} };
const check = (h: SyntheticHistory) => runCheck(oneRecoveryAtATime, h.events, ctx);
const BOOK = ['btcusdt@bookticker'];

const open = (h: SyntheticHistory, t: number, connId: number, kind: 'market' | 'user' = 'market', streams = BOOK) =>
  h.at(t).add('venue', 'ws.open', { connId, kind, path: kind === 'user' ? '/ws/lk' : '/stream', streams: kind === 'user' ? [] : streams }, 'bot-1');
const close = (h: SyntheticHistory, t: number, connId: number, kind: 'market' | 'user' = 'market') =>
  h.at(t).add('venue', 'ws.close', { connId, kind, code: 1006 }, 'bot-1');
const cut = (h: SyntheticHistory, t: number, link = 'market-ws') =>
  h.at(t).add('fault', 'fault.start', { id: 'f1', kind: 'link-reset', link, params: { durationMs: 500 } }, 'bot-1');

describe('one-recovery-at-a-time', () => {
  it('is registered and cites H-ADAPTER-01', () => {
    expect(checker('one-recovery-at-a-time')).toBe(oneRecoveryAtATime);
    expect(oneRecoveryAtATime.findings).toEqual(['004_8a8a9a4995486b8f.txt#H-ADAPTER-01']);
  });

  it('passes one replacement per lost connection, a short hand-over included', () => {
    const h = new SyntheticHistory();
    open(h, 0, 1);
    open(h, 0, 2, 'user');
    cut(h, 3000);
    close(h, 3001, 1);
    open(h, 3600, 3);
    cut(h, 6000, 'user-ws');
    open(h, 6500, 4, 'user'); // new user stream up before the old one is seen closed
    close(h, 6501, 2, 'user');
    h.at(12_000).add('market', 'tick', { symbol: 'BTCUSDT', i: 1, bid: '1', ask: '2', mid: '1.5' });
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ opens: 4, recoveries: 2, duplicates: 0 });
  });

  it('fails two raced recoveries that each opened a connection for the same stream, with both opens and the fault as evidence', () => {
    const h = new SyntheticHistory();
    open(h, 0, 1);
    const f = cut(h, 3000);
    close(h, 3001, 1);
    const a = open(h, 3600, 2);
    const b = open(h, 3610, 3, 'market', ['btcusdt@bookticker', 'btcusdt@depth@100ms']);
    h.at(12_000).add('market', 'tick', { symbol: 'BTCUSDT', i: 1, bid: '1', ask: '2', mid: '1.5' });
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([b, a, f]);
    expect(r.violations[0]?.message).toMatch(/two market connections sharing btcusdt@bookticker at once for more than 2000 ms \(connections 2 and 3\)/);
  });

  it('does not count a connection from before a silent stall that the venue still holds open', () => {
    const h = new SyntheticHistory();
    open(h, 0, 1);
    h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'link-stall', link: 'market-ws', params: { durationMs: 3000 } }, 'bot-1');
    open(h, 4000, 2); // the bot gave up on 1; the venue closes it much later
    close(h, 9000, 1);
    h.at(12_000).add('market', 'tick', { symbol: 'BTCUSDT', i: 1, bid: '1', ask: '2', mid: '1.5' });
    expect(check(h).valid).toBe(true);
  });

  it('answers unknown without a link fault followed by a reconnect', () => {
    const h = new SyntheticHistory();
    open(h, 0, 1);
    open(h, 10, 2); // two feeds from the start are not a recovery
    h.at(12_000).add('market', 'tick', { symbol: 'BTCUSDT', i: 1, bid: '1', ask: '2', mid: '1.5' });
    expect(check(h).valid).toBe('unknown');
  });
});
