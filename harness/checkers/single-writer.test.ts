import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';
import { singleWriter } from './single-writer.ts';

const KEY = 'refbot:leader:BTCUSDT';
const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['rest-orders'], options: { key: KEY } };
const check = (events: HistoryEvent[], c: { scenario: Scenario; capabilities: string[]; options: Record<string, unknown> } = ctx) =>
  runCheck(singleWriter, events, c);

let orderId = 1;

function redis(h: SyntheticHistory, t: number, args: string[], instance?: string): number {
  return h.at(t).add('redis', 'command', { user: instance ?? 'unknown', client: instance ? '127.0.0.1:1' : 'lua', serverTime: t / 1000, args }, instance);
}

function acquire(h: SyntheticHistory, t: number, instance: string, ttl = 1500): number {
  return redis(h, t, ['SET', KEY, `${instance}:1:ab`, 'NX', 'PX', String(ttl)], instance);
}

/** Hardened renewal: EVAL, then the script's own GET and PEXPIRE (unattributed). */
function renew(h: SyntheticHistory, t: number, instance: string, ttl = 1500): void {
  redis(h, t, ['EVAL', 'if ...', '1', KEY, `${instance}:1:ab`, String(ttl)], instance);
  redis(h, t, ['get', KEY]);
  redis(h, t, ['pexpire', KEY, String(ttl)]);
}

function order(h: SyntheticHistory, t: number, instance: string): number {
  const id = orderId++;
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: id, clientOrderId: `c${id}`, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.016', reduceOnly: false, positionBefore: '0' },
      instance,
    );
}

/** bot-1 leads and trades, is paused at 3000 for 3500 ms; bot-2 takes over at 4600 and trades. */
function takeover(): { h: SyntheticHistory; pause: number; bot2Set: number; bot1Set: number } {
  const h = new SyntheticHistory();
  h.at(0).add('harness', 'scenario.ready', {});
  const bot1Set = acquire(h, 100, 'bot-1');
  acquire(h, 120, 'bot-2'); // NX on a held key: not executed
  for (let t = 600; t < 3000; t += 500) renew(h, t, 'bot-1');
  order(h, 1000, 'bot-1');
  order(h, 2000, 'bot-1');
  const pause = h.at(3000).add('fault', 'fault.start', { id: 'f1', kind: 'process-pause', params: { durationMs: 3500 } }, 'bot-1');
  acquire(h, 3500, 'bot-2'); // the key (renewed at 2600, ttl 1500) expires at 4100: not yet
  const bot2Set = acquire(h, 4600, 'bot-2');
  renew(h, 5100, 'bot-2');
  order(h, 5200, 'bot-2');
  renew(h, 5600, 'bot-2');
  renew(h, 6100, 'bot-2');
  h.at(6500).add('fault', 'fault.end', { id: 'f1', kind: 'process-pause', params: {} }, 'bot-1');
  return { h, pause, bot2Set, bot1Set };
}

describe('single-writer', () => {
  it('is registered and cites R8', () => {
    expect(checker('single-writer')).toBe(singleWriter);
    expect(singleWriter.findings).toEqual(['002_3e6ca2bf6dfde12d.txt#R8', '003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older']);
  });

  it('passes when the paused holder stands by after the takeover', () => {
    const { h } = takeover();
    renew(h, 6600, 'bot-1'); // hardened: its compare-and-extend runs the script's GET only
    h.events.pop(); // (no pexpire: the value is not its own)
    renew(h, 6700, 'bot-2');
    order(h, 7000, 'bot-2');
    h.at(8000).add('harness', 'scenario.window.end', {});
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats.ownerChanges).toBe(1);
    expect(r.stats.ordersAfterChange).toBe(2);
  });

  it('fails when the resumed instance trades while the other holds the lock', () => {
    const { h, pause, bot2Set, bot1Set } = takeover();
    redis(h, 6600, ['PEXPIRE', KEY, '1500'], 'bot-1'); // the flawed blind renewal extends bot-2's key
    const bad = order(h, 6700, 'bot-1');
    h.at(8000).add('harness', 'scenario.window.end', {});
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([bad, bot2Set, bot1Set, pause]);
    expect(r.violations[0]?.message).toMatch(/bot-1 placed order \d+ \(BUY 0.016 BTCUSDT\) while bot-2 held refbot:leader:BTCUSDT/);
  });

  it('fails when the holder trades on after its key was stolen', () => {
    const h = new SyntheticHistory();
    const own = acquire(h, 100, 'bot-1', 3000);
    order(h, 500, 'bot-1');
    const tamper = h.at(1000).add('redis', 'lock.tampered', { key: KEY, action: 'steal', holderBefore: 'bot-1:1:ab' }, 'bot-1');
    const steal = redis(h, 1000, ['set', KEY, 'faultline-thief-f1', 'PX', '4000']);
    order(h, 1400, 'bot-1'); // within stealGraceMs: it could not know yet
    const bad = order(h, 2500, 'bot-1');
    order(h, 5200, 'bot-1'); // the stolen key expired at 5000: not judged as a second writer
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.stats.inStealGrace).toBe(1);
    expect(r.violations[0]?.evidence).toEqual([bad, steal, own, tamper]);
    expect(check(h.events, { ...ctx, options: { key: KEY, stealGraceMs: 0 } }).violations).toHaveLength(2);
    expect(r.violations[0]?.message).toMatch(/a foreign owner \(value faultline-thief-f1\)/);
  });

  it('does not judge orders after the window ends (shutdown exits)', () => {
    const { h } = takeover();
    h.at(8000).add('harness', 'scenario.window.end', {});
    order(h, 8100, 'bot-1');
    expect(check(h.events).valid).toBe(true);
  });

  it('finds the key from SET NX when no key option is given', () => {
    const { h } = takeover();
    order(h, 6700, 'bot-1');
    expect(check(h.events, { ...ctx, options: {} }).valid).toBe(false);
  });

  it('is unknown without a lock, without a change of owner, or without an order after it', () => {
    const none = new SyntheticHistory();
    order(none, 1000, 'bot-1');
    expect(check(none.events, { ...ctx, options: {} }).notes[0]).toMatch(/no Redis lock to replay and no fault disrupted/);

    const steady = new SyntheticHistory();
    acquire(steady, 100, 'bot-1');
    for (let t = 600; t < 5000; t += 500) renew(steady, t, 'bot-1');
    order(steady, 1000, 'bot-1');
    const r = check(steady.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/never changed owner/);

    // Re-acquired by the same owner after its own key expired: not a change of owner.
    acquire(steady, 8000, 'bot-1');
    expect(check(steady.events).valid).toBe('unknown');

    const quiet = new SyntheticHistory();
    acquire(quiet, 100, 'bot-1');
    acquire(quiet, 2000, 'bot-2');
    expect(check(quiet.events).notes[0]).toMatch(/no order followed/);
  });

  describe('without a Redis lock (a lock file): judged from the orders', () => {
    const noKey = { ...ctx, options: {} };
    /** bot-1 writes every 500 ms from 500 to 5500; the lock file is aged at 2000; bot-2 writes from `bot2From` (if given). */
    function fileLock(bot2From?: number, bot1Until = 5500) {
      const h = new SyntheticHistory();
      h.at(0).add('harness', 'scenario.ready', {});
      const seqs: Record<string, number> = {};
      for (let t = 500; t <= 6000; t += 500) {
        if (t === 2000) seqs.aged = h.at(2000).add('fault', 'fault.start', { id: 'f1', kind: 'file-lock-age', params: {} }, 'bot-1');
        if (t <= bot1Until) seqs[`bot-1@${t}`] = order(h, t, 'bot-1');
        if (bot2From !== undefined && t >= bot2From) seqs[`bot-2@${t}`] = order(h, t + 10, 'bot-2');
      }
      h.at(6500).add('harness', 'scenario.window.end', {});
      order(h, 6600, 'bot-1'); // shutdown exits after the window: not judged
      return { h, seqs };
    }

    it('passes a holder that keeps writing alone after its lock file was aged', () => {
      const r = check(fileLock().h.events, noKey);
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ secondWriterOrders: 0, handovers: 0 });
      expect(r.notes[0]).toMatch(/judged from the orders/);
    });

    it('fails a holder that writes on beside the instance that evicted its lock, with both orders and the fault as evidence', () => {
      const { h, seqs } = fileLock(2500);
      const r = check(h.events, noKey);
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([seqs['bot-1@3000'], seqs['bot-2@2500'], seqs.aged]);
      expect(r.violations[0]?.message).toMatch(
        /bot-1 placed order .* after bot-2, writing in its place, .* two instances trade at once; after file-lock-age \(f1\)/,
      );
    });

    it('passes a clean handover, and a handover back once the other has stopped writing for longer than handoverMs', () => {
      expect(check(fileLock(3500, 3000).h.events, noKey).valid).toBe(true); // bot-1 stopped at 3000, bot-2 from 3500
      const h = new SyntheticHistory();
      h.at(0).add('fault', 'fault.start', { id: 'f1', kind: 'process-pause', params: {} }, 'bot-1');
      order(h, 500, 'bot-1');
      order(h, 1000, 'bot-2');
      order(h, 4000, 'bot-1'); // bot-2 silent for 3000 ms > handoverMs 2000
      const r = check(h.events, noKey);
      expect(r.valid).toBe(true);
      expect(r.stats.handovers).toBe(2);
      expect(check(h.events, { ...ctx, options: { handoverMs: 3500 } }).valid).toBe(false);
    });

    it('is unknown without a fault, or without an order after it', () => {
      const h = new SyntheticHistory();
      order(h, 500, 'bot-1');
      h.at(1000).add('fault', 'fault.start', { id: 'f1', kind: 'file-lock-age', params: {} }, 'bot-1');
      expect(check(h.events, noKey).notes[0]).toMatch(/no order followed the first fault/);
    });
  });
});
