import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { leverageCapRespected } from './leverage-cap-respected.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(leverageCapRespected, h.events, ctx);

function accepted(h: SyntheticHistory, t: number, side: string, qty: string, positionBefore: string, reduceOnly = false): number {
  return h
    .at(t)
    .add('venue', 'order.new', { orderId: t, clientOrderId: `c${t}`, symbol: 'TIERUSDT', side, type: 'MARKET', qty, reduceOnly, positionBefore }, 'bot-1');
}

function refused(h: SyntheticHistory, t: number, qty: string, code: number, msg: string): number {
  return h.at(t).add('venue', 'order.reject', { symbol: 'TIERUSDT', side: 'BUY', type: 'MARKET', qty, reduceOnly: false, code, msg }, 'bot-1');
}

const CAP_MSG = 'Exceeded the maximum allowable position at current leverage.';

describe('leverage-cap-respected', () => {
  it('is registered and cites the risk-manager finding', () => {
    expect(checker('leverage-cap-respected')).toBe(leverageCapRespected);
    expect(leverageCapRespected.findings).toEqual(['003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager']);
  });

  it('passes risk sized under the cap, whatever else the venue refused', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, 'BUY', '237', '0');
    refused(h, 1500, '237', -2019, 'Margin is insufficient.');
    accepted(h, 2000, 'SELL', '237', '237', true);
    accepted(h, 3000, 'SELL', '237', '0');
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ riskOrders: 2, exits: 1, capRefusals: 0, otherRefusals: 1 });
  });

  it('fails every order refused -2027, with the refusal as evidence', () => {
    const h = new SyntheticHistory();
    const first = refused(h, 1000, '500', -2027, CAP_MSG);
    accepted(h, 1200, 'BUY', '200', '0');
    const second = refused(h, 3000, '500', -2027, CAP_MSG);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[first], [second]]);
    expect(r.violations[0]?.message).toMatch(/bot-1 sent BUY MARKET 500 TIERUSDT, refused -2027 .*notional cap of its leverage bracket/);
  });

  it('answers unknown when the bot opened no risk at all, and fails a refusal even then', () => {
    const h = new SyntheticHistory();
    accepted(h, 1000, 'SELL', '5', '5', true);
    const r = check(h);
    expect(r.valid).toBe('unknown');
    expect(r.notes.join(' ')).toMatch(/never sized a position/);
    refused(h, 2000, '500', -2027, CAP_MSG);
    expect(check(h).valid).toBe(false);
  });
});
