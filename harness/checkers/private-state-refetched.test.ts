import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { privateStateRefetched } from './private-state-refetched.ts';
import { checker } from './registry.ts';

const RECONNECT = '003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but';
const OPEN_ORDERS = '003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via';
const SILENT = '003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts';
const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['ws-user', 'rest-orders'], options: {} };
const check = (events: HistoryEvent[], options: Record<string, unknown> = {}) => runCheck(privateStateRefetched, events, { ...ctx, options });

let orderId = 1;
function order(h: SyntheticHistory, t: number, side: 'BUY' | 'SELL', pos: string, reduceOnly = false): number {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: orderId++, clientOrderId: `c${orderId}`, symbol: 'BTCUSDT', side, type: 'MARKET', qty: '0.016', reduceOnly, positionBefore: pos },
      'bot-1',
    );
}
const open = (h: SyntheticHistory, t: number, connId: number) =>
  h.at(t).add('venue', 'ws.open', { connId, kind: 'user', path: '/ws/lk', streams: [] }, 'bot-1');
const close = (h: SyntheticHistory, t: number, connId: number) => h.at(t).add('venue', 'ws.close', { connId, kind: 'user', code: 1006 }, 'bot-1');
const get = (h: SyntheticHistory, t: number, path: string, status = 200) => h.at(t).add('venue', 'http.request', { method: 'GET', path, status }, 'bot-1');

/** Stream up, one LONG entry, then the user stream drops at 3000 and comes back at 5000. */
function gap(): { h: SyntheticHistory; closeSeq: number; reopenSeq: number } {
  const h = new SyntheticHistory();
  open(h, 500, 1);
  order(h, 1000, 'BUY', '0');
  order(h, 2000, 'SELL', '0.016', true);
  const closeSeq = close(h, 3000, 1);
  const reopenSeq = open(h, 5000, 2);
  return { h, closeSeq, reopenSeq };
}

describe('private-state-refetched', () => {
  it('is registered and cites its findings', () => {
    expect(checker('private-state-refetched')).toBe(privateStateRefetched);
    expect(privateStateRefetched.findings).toEqual([
      RECONNECT,
      OPEN_ORDERS,
      '000_2ae31cbfe79758d1.txt#S-M4',
      SILENT,
      '003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current',
    ]);
  });

  // Found by the mutation matrix (hardened refbot, user-stream-stall-masked, seed 2): after a silent cut
  // the bot's reconnect opened connection 5 a millisecond before the venue recorded the close of the
  // stalled connection 4; that close is not a new outage while 5 is up.
  it('does not start a gap when a connection closes while a newer one of the instance is open', () => {
    const { h, reopenSeq } = gap();
    get(h, 5010, '/fapi/v2/positionRisk');
    get(h, 5020, '/fapi/v1/openOrders');
    order(h, 6000, 'BUY', '0');
    const newer = open(h, 7000, 3);
    close(h, 7001, 2);
    order(h, 7500, 'BUY', '0.016');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ gaps: 1, judged: 1, refetched: 1 });
    expect(newer).toBeGreaterThan(reopenSeq);
    // The same close with no newer connection open is an outage, and the order after it is judged.
    const { h: h2 } = gap();
    get(h2, 5010, '/fapi/v2/positionRisk');
    get(h2, 5020, '/fapi/v1/openOrders');
    order(h2, 6000, 'BUY', '0');
    close(h2, 7001, 2);
    order(h2, 7500, 'BUY', '0.016');
    expect(check(h2.events).valid).toBe(false);
  });

  describe('atStart (003#websocket-start-can-no-op-when-no-current)', () => {
    const started = () => {
      const h = new SyntheticHistory();
      const start = h.at(100).add('target', 'target.start', { pid: 7 }, 'bot-1');
      return { h, start };
    };
    const userOpen = (h: SyntheticHistory, t: number) => h.at(t).add('venue', 'ws.open', { kind: 'user', connId: 1 }, 'bot-1');

    it('passes when the user-data stream opened before the first risk-increasing order', () => {
      const { h } = started();
      userOpen(h, 400);
      order(h, 900, 'BUY', '0');
      const r = check(h.events);
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ startGaps: 1, streamFirst: 1, judged: 0 });
    });

    it('fails when the first risk-increasing order went out before any user-data stream', () => {
      const { h, start } = started();
      const first = order(h, 300, 'BUY', '0');
      userOpen(h, 900);
      const r = check(h.events);
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([first, start]);
      expect(r.violations[0]?.message).toMatch(/before opening any user-data stream.*websocket-start-can-no-op/);
      // Off: a start is not judged, and nothing else happened.
      expect(check(h.events, { atStart: false }).valid).toBe('unknown');
    });

    it('does not judge reduce-only orders at start', () => {
      const { h } = started();
      order(h, 300, 'SELL', '0.002', true);
      expect(check(h.events).valid).toBe('unknown');
    });
  });

  it('passes when positions and open orders are re-fetched after the reconnect, before new risk', () => {
    const { h } = gap();
    get(h, 5010, '/fapi/v2/positionRisk');
    get(h, 5020, '/fapi/v1/openOrders');
    order(h, 6000, 'SELL', '0');
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ gaps: 1, judged: 1, refetched: 1 });
  });

  it('fails a risk-increasing order sent while the user stream is down', () => {
    const { h, closeSeq } = gap();
    // Order placed during the gap (before the reopen at 5000): rebuild the history in time order.
    const h2 = new SyntheticHistory();
    for (const e of h.events.filter((x) => x.t <= 3000)) h2.at(e.t).add(e.src, e.type, e.data, e.instance);
    const o = order(h2, 4000, 'SELL', '0');
    const r = check(h2.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([o, closeSeq]);
    expect(r.violations[0]?.message).toContain(RECONNECT);
    expect(r.stats.tradedWhileDown).toBe(1);
  });

  it('fails when the reconnect is not followed by a positions re-fetch', () => {
    const h = new SyntheticHistory();
    open(h, 500, 1);
    order(h, 1000, 'BUY', '0');
    const closeSeq = close(h, 3000, 1);
    get(h, 4000, '/fapi/v2/positionRisk'); // while the stream is down: fills can still be missed after it
    const reopenSeq = open(h, 5000, 2);
    const o = order(h, 6000, 'BUY', '0.016');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([o, closeSeq, reopenSeq]);
    expect(r.violations[0]?.message).toContain(RECONNECT);
  });

  it('fails when only positions are re-fetched, unless openOrders is off', () => {
    const { h, closeSeq, reopenSeq } = gap();
    const pos = get(h, 5010, '/fapi/v3/positionRisk');
    get(h, 5020, '/fapi/v1/openOrders', 400); // a failed read is no re-fetch
    const o = order(h, 6000, 'SELL', '0');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([o, closeSeq, reopenSeq, pos]);
    expect(r.violations[0]?.message).toContain(OPEN_ORDERS);
    expect(check(h.events, { openOrders: false }).valid).toBe(true);
  });

  it('treats a listen key expiry as a gap even while the socket stays open', () => {
    const h = new SyntheticHistory();
    open(h, 500, 1);
    order(h, 1000, 'BUY', '0');
    const exp = h.at(2000).add('venue', 'listenKey.expired', { listenKey: 'lk' }, 'bot-1');
    order(h, 3000, 'SELL', '0.016'); // closes the long: not risk, even without reduceOnly
    const o = order(h, 4000, 'SELL', '0');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([o, exp]);
    expect(r.violations[0]?.message).toContain('000_2ae31cbfe79758d1.txt#S-M4');
  });

  it('counts an expiry and the close that follows it as one outage, and a second drop as a new one', () => {
    const h = new SyntheticHistory();
    open(h, 500, 1);
    order(h, 1000, 'BUY', '0');
    const exp = h.at(2000).add('venue', 'listenKey.expired', { listenKey: 'lk' }, 'bot-1');
    close(h, 2010, 1);
    open(h, 2300, 2);
    get(h, 2310, '/fapi/v2/positionRisk');
    get(h, 2320, '/fapi/v1/openOrders');
    const drop = close(h, 2500, 2); // down again before any risk: the re-fetch is stale
    const reopen = open(h, 3000, 3);
    const o = order(h, 3500, 'SELL', '0');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([o, drop, reopen]);
    expect(r.stats).toMatchObject({ gaps: 2, judged: 1, unjudged: 1 });
    expect(exp).toBeLessThan(drop);
  });

  it('allows exits during and after the gap and ignores orders decided before the bot could notice', () => {
    const { h } = gap();
    const h2 = new SyntheticHistory();
    for (const e of h.events.filter((x) => x.t <= 3000)) h2.at(e.t).add(e.src, e.type, e.data, e.instance);
    order(h2, 3100, 'SELL', '0'); // within reactionMs of the close
    order(h2, 4000, 'BUY', '-0.016', true); // reduce-only exit while down
    expect(check(h2.events).valid).toBe('unknown');
    expect(check(h2.events, { reactionMs: 50 }).valid).toBe(false);
  });

  it('is unknown without a gap or without risk after it, and with a bad option', () => {
    const h = new SyntheticHistory();
    open(h, 500, 1);
    order(h, 1000, 'BUY', '0');
    expect(check(h.events).valid).toBe('unknown');
    const { h: g } = gap();
    const r = check(g.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toContain('nothing to judge');
    expect(check(g.events, { openOrders: 'yes' }).valid).toBe('unknown');
  });

  it('judges each instance on its own', () => {
    const { h } = gap();
    h.at(5500).add(
      'venue',
      'order.new',
      { orderId: 999, clientOrderId: 'x', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '1', reduceOnly: false, positionBefore: '0' },
      'bot-2',
    );
    expect(check(h.events).valid).toBe('unknown');
  });

  describe('silent cut of the user data (socket open, no bytes)', () => {
    const stall = (h: SyntheticHistory, t: number, link = 'user-ws', impairs = ['user-data']) =>
      h.at(t).add('fault', 'fault.start', { id: 'f1', kind: 'link-stall', link, impairs, params: { durationMs: 10_000 } }, 'bot-1');

    it('fails risk opened after silentReactionMs with the dead stream never noticed (no reconnect), citing the aggregate-liveness finding', () => {
      const h = new SyntheticHistory();
      open(h, 500, 1);
      order(h, 1000, 'BUY', '0');
      const cut = stall(h, 3000);
      order(h, 6000, 'SELL', '0.016'); // reduces: never judged
      order(h, 8000, 'SELL', '0'); // 5 s in: the bot may not have noticed yet
      const o = order(h, 12_000, 'SELL', '-0.016');
      const r = check(h.events);
      expect(r.valid).toBe(false);
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]?.evidence).toEqual([o, cut]);
      expect(r.violations[0]?.message).toContain(SILENT);
      expect(r.violations[0]?.message).toMatch(/9000 ms after its link-stall on user-ws \(socket open, no bytes\)/);
      expect(r.stats).toMatchObject({ gaps: 1, silentGaps: 1, tradedWhileDown: 1 });
      expect(check(h.events, { silentReactionMs: 8500 }).valid).toBe(false);
      expect(check(h.events, { silentReactionMs: 9500 }).valid).toBe('unknown');
    });

    it('passes a bot that noticed (closed the stream), reconnected and re-fetched before new risk', () => {
      const h = new SyntheticHistory();
      open(h, 500, 1);
      order(h, 1000, 'BUY', '0');
      stall(h, 3000);
      order(h, 5000, 'SELL', '0'); // before it could notice
      close(h, 10_500, 1); // its own ping went unanswered
      open(h, 13_500, 2);
      get(h, 13_600, '/fapi/v2/positionRisk');
      get(h, 13_700, '/fapi/v1/openOrders');
      order(h, 14_500, 'SELL', '-0.016');
      const r = check(h.events);
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ gaps: 1, silentGaps: 1, judged: 1, refetched: 1 });
    });

    it('a stall of the market link, or of a user link with no connection open, is no user-stream gap', () => {
      const h = new SyntheticHistory();
      stall(h, 100);
      open(h, 500, 1);
      stall(h, 3000, 'market-ws', ['market-data']);
      order(h, 12_000, 'BUY', '0');
      const r = check(h.events);
      expect(r.valid).toBe('unknown');
      expect(r.stats.gaps).toBe(0);
    });
  });
});
