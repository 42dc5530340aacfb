import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { cleanSigterm } from './clean-sigterm.ts';
import { runCheck } from './compose.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ scenario: {} as Scenario, capabilities: ['rest-orders'], options });
const run = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(cleanSigterm, h.events, ctx(options));

let nextId = 1;
function order(
  h: SyntheticHistory,
  t: number,
  side: 'BUY' | 'SELL',
  qty: string,
  positionBefore: string,
  opts: { reduceOnly?: boolean; type?: string; fill?: boolean } = {},
) {
  const orderId = nextId++;
  const newSeq = h.at(t).add(
    'venue',
    'order.new',
    {
      orderId,
      clientOrderId: `c${orderId}`,
      symbol: 'BTCUSDT',
      side,
      type: opts.type ?? 'MARKET',
      qty,
      reduceOnly: opts.reduceOnly ?? false,
      positionBefore,
    },
    'bot-1',
  );
  let fillSeq: number | undefined;
  if (opts.fill ?? true) {
    const after = Number(positionBefore) + (side === 'BUY' ? 1 : -1) * Number(qty);
    fillSeq = h.add(
      'venue',
      'order.fill',
      { orderId, clientOrderId: `c${orderId}`, symbol: 'BTCUSDT', side, lastQty: qty, cumQty: qty, status: 'FILLED', positionAfter: after.toFixed(3) },
      'bot-1',
    );
  }
  return { newSeq, fillSeq, orderId };
}

/** Trades long, is signalled at 5000, then does `between`, then exits as told. */
function scenario(between: (h: SyntheticHistory) => void, exit: { t?: number; code?: number | null; signal?: string | null; killAt?: number } = {}) {
  const h = new SyntheticHistory();
  h.at(0).add('target', 'target.start', { pid: 42 }, 'bot-1');
  order(h, 1000, 'BUY', '0.016', '0.000');
  const sig = h.at(5000).add('fault', 'process.signal', { id: 'f1', signal: 'SIGTERM', pid: 42, graceMs: 3000 }, 'bot-1');
  between(h);
  const kill =
    exit.killAt === undefined
      ? undefined
      : h.at(exit.killAt).add('fault', 'process.grace-exceeded', { id: 'f1', signal: 'SIGTERM', pid: 42, graceMs: 3000 }, 'bot-1');
  const ex = h
    .at(exit.t ?? 5400)
    .add('target', 'target.exit', { pid: 42, code: exit.code === undefined ? 0 : exit.code, signal: exit.signal ?? null }, 'bot-1');
  return { h, sig, ex, kill };
}

describe('clean-sigterm', () => {
  it('passes when the bot flattens reduce-only and exits 0 within the grace', () => {
    const { h } = scenario((h) => order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true }));
    const r = run(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ signals: 1, judged: 1, ordersBeforeSignal: 1, ordersAfterSignal: 1, riskAfterSignal: 0 });
  });

  it('passes when the position is left protected by a closePosition stop', () => {
    const { h } = scenario((h) => {
      h.at(5100).add('venue', 'algo.new', { algoId: 7, symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', closePosition: true, reduceOnly: true }, 'bot-1');
    });
    expect(run(h).valid).toBe(true);
  });

  it('fails when the bot exits with its position open, pointing at the exit and the last fill', () => {
    const { h, sig, ex } = scenario(() => {});
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.message).toMatch(/position 0.016 BTCUSDT neither closed nor protected/);
    expect(r.violations[0]?.evidence).toEqual([ex, 2, sig]);
  });

  it('fails when a LIMIT order is left open at exit, and when a stop is too small to protect', () => {
    let limit = 0;
    const { h, ex, sig } = scenario((h) => {
      order(h, 5050, 'SELL', '0.016', '0.016', { reduceOnly: true });
      limit = order(h, 5060, 'BUY', '0.010', '0.000', { reduceOnly: false, type: 'LIMIT', fill: false }).newSeq;
    });
    const r = run(h);
    expect(r.valid).toBe(false);
    const open = r.violations.find((v) => v.message.includes(' leaving '));
    expect(open?.evidence).toEqual([limit, ex, sig]);
    // A new BUY from flat after the signal is new risk as well.
    expect(r.stats).toMatchObject({ riskAfterSignal: 1, openAtExit: 1, unprotected: 0 });
  });

  it('fails on a risk-increasing order after the signal, offending order first', () => {
    let entry = 0;
    const { h, sig } = scenario((h) => {
      order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true });
      entry = order(h, 5200, 'SELL', '0.016', '0.000').newSeq;
      order(h, 5300, 'BUY', '0.016', '-0.016', { reduceOnly: true });
    });
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([entry, sig]);
    expect(r.violations[0]?.message).toMatch(/opened risk 200 ms after SIGTERM/);
  });

  it('fails when the bot hangs past the grace and is SIGKILLed', () => {
    const { h, sig, ex, kill } = scenario((h) => order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true }), {
      t: 8010,
      killAt: 8000,
      code: null,
      signal: 'SIGKILL',
    });
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([kill, ex, sig]);
    expect(r.violations[0]?.message).toMatch(/did not exit within 3000 ms of SIGTERM: still running/);
  });

  it('fails on a slow exit beyond a stricter graceMs option, and on a non-zero exit code', () => {
    const slow = scenario((h) => order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true }), { t: 7500 });
    expect(run(slow.h).valid).toBe(true);
    const r = run(slow.h, { graceMs: 2000 });
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([slow.ex, slow.sig]);
    const crashed = scenario((h) => order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true }), { code: 1 });
    const c = run(crashed.h);
    expect(c.valid).toBe(false);
    expect(c.violations[0]?.message).toMatch(/exited with code 1/);
  });

  it('fails a file left torn after the exit (C-SERV-03, C-MAIN-05) and passes whole or missing ones', () => {
    const inspect = (h: SyntheticHistory, t: number, alerts: { complete: boolean; problem?: string }) =>
      h.at(t).add(
        'fault',
        'files.inspected',
        {
          ownerRunning: false,
          by: 'f2',
          files: [
            { file: 'refbot-state.json', exists: true, complete: true },
            { file: 'refbot-alerts.jsonl', exists: true, ...alerts },
            { file: 'refbot-peak.json', exists: false, complete: false },
          ],
        },
        'bot-1',
      );
    const ok = scenario((h) => order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true }));
    inspect(ok.h, 6000, { complete: true });
    const good = run(ok.h);
    expect(good.valid).toBe(true);
    expect(good.stats).toMatchObject({ filesInspected: 2, tornFiles: 0 });
    const torn = scenario((h) => order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true }));
    const seq = inspect(torn.h, 6000, { complete: false, problem: 'the last line is not terminated ("{\\"kind\\": \\"life")' });
    const r = run(torn.h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([seq, torn.ex, torn.sig]);
    expect(r.violations[0]?.message).toMatch(/bot-1's refbot-alerts\.jsonl is not whole after its exit on SIGTERM: the last line is not terminated/);
  });

  it('is unknown without a signal, without an exit after it, or without any order before it', () => {
    const none = new SyntheticHistory();
    order(none, 1000, 'BUY', '0.016', '0.000');
    expect(run(none).valid).toBe('unknown');

    const noExit = new SyntheticHistory();
    order(noExit, 1000, 'BUY', '0.016', '0.000');
    noExit.at(5000).add('fault', 'process.signal', { id: 'f1', signal: 'SIGTERM', graceMs: 3000 }, 'bot-1');
    expect(run(noExit).valid).toBe('unknown');

    const idle = new SyntheticHistory();
    idle.at(5000).add('fault', 'process.signal', { id: 'f1', signal: 'SIGTERM', graceMs: 3000 }, 'bot-1');
    idle.at(5300).add('target', 'target.exit', { code: 0, signal: null }, 'bot-1');
    const r = run(idle);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no order before the stop signal/);
  });

  it('judges only the signalled instance', () => {
    const { h } = scenario((h) => {
      order(h, 5100, 'SELL', '0.016', '0.016', { reduceOnly: true });
      h.at(5150).add(
        'venue',
        'order.new',
        { orderId: 999, clientOrderId: 'x', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '1', reduceOnly: false, positionBefore: '0' },
        'bot-2',
      );
    });
    expect(run(h).valid).toBe(true);
  });
});
