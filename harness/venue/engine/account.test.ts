import { describe, expect, it } from 'vitest';
import { applyFill, increasingQty, type Position, unrealized } from './account.ts';

function flat(): Position {
  return { qty: 0, entryPrice: 0, updateTime: 0, realized: 0, isolatedWallet: 0 };
}

describe('net position math', () => {
  it('averages the entry price when adding', () => {
    const p = flat();
    expect(applyFill(p, 0.01, 100, 3, 1)).toBe(0);
    expect(applyFill(p, 0.03, 200, 3, 2)).toBe(0);
    expect(p.qty).toBe(0.04);
    expect(p.entryPrice).toBeCloseTo(175, 9);
    expect(p.updateTime).toBe(2);
  });

  it('realises PnL on a reduction and keeps the entry', () => {
    const p = flat();
    applyFill(p, 0.02, 100, 3, 1);
    const realized = applyFill(p, -0.01, 110, 3, 2);
    expect(realized).toBeCloseTo(0.1, 9);
    expect(p.qty).toBe(0.01);
    expect(p.entryPrice).toBe(100);
    expect(p.realized).toBeCloseTo(0.1, 9);
  });

  it('realises on a short cover with the right sign and goes flat exactly', () => {
    const p = flat();
    applyFill(p, -0.003, 200, 3, 1);
    const realized = applyFill(p, 0.003, 190, 3, 2);
    expect(realized).toBeCloseTo(0.03, 9);
    expect(p.qty).toBe(0);
    expect(p.entryPrice).toBe(0);
  });

  it('re-opens the remainder at the fill price on a flip', () => {
    const p = flat();
    applyFill(p, 0.001, 100, 3, 1);
    const realized = applyFill(p, -0.003, 90, 3, 2);
    expect(realized).toBeCloseTo(-0.01, 9);
    expect(p.qty).toBe(-0.002);
    expect(p.entryPrice).toBe(90);
    expect(unrealized(p, 80)).toBeCloseTo(0.02, 9);
  });

  it('counts only the exposure-increasing part of an order', () => {
    expect(increasingQty(0, 'BUY', 1)).toBe(1);
    expect(increasingQty(0.5, 'BUY', 1)).toBe(1);
    expect(increasingQty(0.5, 'SELL', 1)).toBe(0.5);
    expect(increasingQty(0.5, 'SELL', 0.2)).toBe(0);
  });
});
