import { describe, expect, it } from 'vitest';
import { legOf, newAccount, positionOf } from './account.ts';
import { nextFundingTime, settleFunding } from './funding.ts';

const account = () => newAccount({ instance: 'a', apiKey: 'K', apiSecret: 'S', balanceUsdt: 1000 });

describe('settleFunding', () => {
  it('longs pay and shorts receive a positive rate; flat positions pay nothing', () => {
    const a = account();
    positionOf(a, 'BTCUSDT').qty = 0.1;
    positionOf(a, 'ETHUSDT').qty = -2;
    positionOf(a, 'QTRUSDT').qty = 0;
    const paid = settleFunding(
      a,
      new Map([
        ['BTCUSDT', 60000],
        ['ETHUSDT', 3000],
        ['QTRUSDT', 1],
      ]),
      0.0001,
      5,
    );
    expect(paid.map((p) => [p.symbol, p.amount])).toEqual([
      ['BTCUSDT', -0.6],
      ['ETHUSDT', 0.6],
    ]);
    expect(a.walletBalance).toBeCloseTo(1000, 9);
  });

  it('an isolated position pays from its own margin too; hedge legs pay each', () => {
    const a = account();
    a.isolated.add('BTCUSDT');
    const p = positionOf(a, 'BTCUSDT');
    p.qty = 1;
    p.isolatedWallet = 100;
    settleFunding(a, new Map([['BTCUSDT', 50000]]), 0.001, 1);
    expect(p.isolatedWallet).toBeCloseTo(50, 9);
    expect(a.walletBalance).toBeCloseTo(950, 9);

    const h = account();
    h.dualSide = true;
    legOf(h, 'BTCUSDT', 'LONG').qty = 1;
    legOf(h, 'BTCUSDT', 'SHORT').qty = -1;
    const legs = settleFunding(h, new Map([['BTCUSDT', 1000]]), 0.01, 1);
    expect(legs.map((l) => [l.positionSide, l.amount])).toEqual([
      ['LONG', -10],
      ['SHORT', 10],
    ]);
  });

  it('funding times are the multiples of the interval, strictly after now', () => {
    expect(nextFundingTime(0, 8 * 3_600_000)).toBe(8 * 3_600_000);
    expect(nextFundingTime(Date.UTC(2026, 10, 22, 9, 0), 8 * 3_600_000)).toBe(Date.UTC(2026, 10, 22, 16, 0));
    expect(nextFundingTime(Date.UTC(2026, 10, 22, 16, 0), 8 * 3_600_000)).toBe(Date.UTC(2026, 10, 23, 0, 0));
  });
});
