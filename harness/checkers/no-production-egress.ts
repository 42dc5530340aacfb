import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

/**
 * Paper and testnet never reach production: the bot makes no connection attempt outside the run's
 * own endpoints. Encodes 001_0474a2fd1532b929.txt#C1 (the paper CLI defaulted to the production
 * venue config), #H1 (the paper runner accepted a production venue config and could place real
 * orders) and #M11 (no testnet/live URL cross-validation): a bot pointed at a production exchange
 * by mistake is caught, not executed.
 *
 * Evidence comes from the runtime's egress guard (containers runtime): every name resolves to a
 * sinkhole that records `runtime egress.attempt` {kind tcp|dns, host, port, sni} and answers
 * nothing. Without a guard in the history (local runtime) the answer is unknown: nothing watched.
 */
export const noProductionEgress: Checker = {
  name: 'no-production-egress',
  description: 'The bot attempts no connection outside the run’s own endpoints (no production exchange)',
  findings: ['001_0474a2fd1532b929.txt#C1', '001_0474a2fd1532b929.txt#H1', '001_0474a2fd1532b929.txt#M11'],
  requires: [],
  check(history): CheckResult {
    const guarded = new Set<string>();
    const violations: Violation[] = [];
    let ran = 0;
    for (const e of history) {
      if (e.src === 'runtime' && e.type === 'netguard.start' && e.instance) guarded.add(e.instance);
      if (e.src === 'target' && e.type === 'target.start') ran++;
      if (e.src !== 'runtime' || e.type !== 'egress.attempt') continue;
      const d = e.data as { kind?: string; host?: string; sni?: string; port?: number };
      const where = d.kind === 'dns' ? `looked up ${d.host}` : `connected to ${d.sni ?? d.host ?? 'an outside address'}:${d.port}`;
      violations.push({
        t: e.t,
        ...(e.instance ? { instance: e.instance } : {}),
        message: `${e.instance ?? 'a target'} ${where}, outside the run's endpoints (caught by the sinkhole)`,
        evidence: [e.seq],
      });
    }
    const stats = { guardedInstances: guarded.size, attempts: violations.length };
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (guarded.size === 0) return unknown('no egress guard in this run (the containers runtime has one): outside connections were not watched', stats);
    if (ran === 0) return unknown('no target ran under the egress guard', stats);
    return { valid: true, violations: [], notes: [`${guarded.size} instance(s) ran behind the egress guard with no outside connection attempt`], stats };
  },
};
