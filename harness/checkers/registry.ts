import { ConfigError } from '../core/errors.ts';
import { clockSkewFailsClosed } from './clock-skew-fails-closed.ts';
import { noProductionEgress } from './no-production-egress.ts';
import { oneOrderPerIntent } from './one-order-per-intent.ts';
import { staleMarketData } from './stale-market-data.ts';
import type { Checker } from './types.ts';

const checkers = new Map<string, Checker>([staleMarketData, noProductionEgress, oneOrderPerIntent, clockSkewFailsClosed].map((c) => [c.name, c]));

export function checker(name: string): Checker {
  const c = checkers.get(name);
  if (!c) throw new ConfigError(`unknown check "${name}"`, `known checks: ${[...checkers.keys()].join(', ')}`);
  return c;
}

export function allCheckers(): Checker[] {
  return [...checkers.values()];
}
