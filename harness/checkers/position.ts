/** Sign-aware position arithmetic shared by checks that classify orders. */

/** A quantity or price as a short plain decimal: 12 decimals at most, no trailing zeros, no float noise. */
export function fmt(n: number): string {
  return String(Number(n.toFixed(12)));
}

export function signedQty(side: string, qty: number): number {
  return side === 'BUY' ? qty : -qty;
}

const EPS = 1e-12;

/**
 * True when an order can leave the account with more exposure than before, in size or in a new
 * direction: a buy that deepens a long or flips a short past flat increases risk. Reduce-only
 * orders never do (the venue rejects them otherwise).
 */
export function increasesRisk(positionBefore: number, side: string, qty: number, reduceOnly: boolean): boolean {
  if (reduceOnly) return false;
  const after = positionBefore + signedQty(side, qty);
  if (Math.abs(after) > Math.abs(positionBefore) + EPS) return true;
  return Math.abs(after) > EPS && Math.sign(after) !== Math.sign(positionBefore);
}
