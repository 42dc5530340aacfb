import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { noProductionEgress } from './no-production-egress.ts';

const ctx = { scenario: { id: 's' } as Scenario, capabilities: [], options: {} };

function guardedRun(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(0).add('runtime', 'netguard.start', { ip: '10.0.0.5' }, 'bot-1');
  h.at(10).add('target', 'target.start', { pid: 1 }, 'bot-1');
  return h;
}

describe('no-production-egress (001_0474a2fd1532b929.txt#C1)', () => {
  it('flags every attempt the sinkhole caught, with its event as evidence', () => {
    const h = guardedRun();
    const tcp = h
      .at(500)
      .add('runtime', 'egress.attempt', { kind: 'tcp', port: 443, host: 'fapi.binance.com', sni: 'fapi.binance.com', blocked: true }, 'bot-1');
    const r = runCheck(noProductionEgress, h.events, ctx);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([tcp]);
    expect(r.violations[0]?.message).toMatch(/fapi\.binance\.com:443/);
  });

  it('passes a guarded run without attempts', () => {
    expect(runCheck(noProductionEgress, guardedRun().events, ctx).valid).toBe(true);
  });

  it('is unknown when nothing guarded egress (local runtime)', () => {
    const h = new SyntheticHistory();
    h.at(10).add('target', 'target.start', { pid: 1 }, 'bot-1');
    expect(runCheck(noProductionEgress, h.events, ctx).valid).toBe('unknown');
  });
});
