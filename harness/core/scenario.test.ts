import { describe, expect, it } from 'vitest';
import base from '../../scenarios/ws-disconnect-stale-prices.ts';
import { ConfigError } from './errors.ts';
import { type Scenario, validateScenario } from './scenario.ts';

const withFaults = (faults: unknown[]) => ({ ...base, faults }) as unknown as Scenario;

describe('validateScenario', () => {
  it('accepts a fault by time and a fault by venue event', () => {
    expect(() => validateScenario(withFaults([{ kind: 'ws-disconnect', at: 5, params: {} }]), 'x')).not.toThrow();
    expect(() => validateScenario(withFaults([{ kind: 'rest-ack-lost', on: { event: 'order.accepted', nth: 3 }, params: {} }]), 'x')).not.toThrow();
  });

  it.each([
    [[{ kind: 'k', params: {} }], /exactly one of "at"/],
    [[{ kind: 'k', at: 1, on: { event: 'fill' }, params: {} }], /exactly one of "at"/],
    [[{ kind: 'k', on: { event: 'order.exploded' }, params: {} }], /on.event must be one of/],
    [[{ kind: 'k', on: { event: 'fill', nth: 0 }, params: {} }], /on.nth/],
    [[{ kind: 'k', at: { minMs: 5, maxMs: 1 }, params: {} }], /minMs <= maxMs/],
  ])('rejects bad fault timing %j', (faults, msg) => {
    expect(() => validateScenario(withFaults(faults), 'x')).toThrow(ConfigError);
    expect(() => validateScenario(withFaults(faults), 'x')).toThrow(msg);
  });

  it('rejects a finding id that is not "<audit file>#<id>"', () => {
    expect(() => validateScenario({ ...base, findings: ['S-C2'] }, 'x')).toThrow(/finding/);
  });
});
