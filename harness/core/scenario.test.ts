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

  it('accepts coordination "redis" or "folder" and rejects anything else', () => {
    expect(() => validateScenario({ ...base, coordination: 'folder' }, 'x')).not.toThrow();
    expect(() => validateScenario({ ...base, coordination: 'redis' }, 'x')).not.toThrow();
    expect(() => validateScenario({ ...base, coordination: 'nfs' }, 'x')).toThrow(/coordination must be "redis" or "folder"/);
  });

  it('accepts watchdog {periodMs} and rejects a bad period or extra fields', () => {
    expect(() => validateScenario({ ...base, watchdog: { periodMs: 2000 } }, 'x')).not.toThrow();
    expect(() => validateScenario({ ...base, watchdog: { periodMs: 50 } } as unknown as Scenario, 'x')).toThrow(
      /watchdog.periodMs must be an integer from 200/,
    );
    expect(() => validateScenario({ ...base, watchdog: { periodMs: '2s' } } as unknown as Scenario, 'x')).toThrow(/watchdog.periodMs/);
    expect(() => validateScenario({ ...base, watchdog: { periodMs: 2000, pid: 1 } } as unknown as Scenario, 'x')).toThrow(/watchdog must be \{periodMs\}/);
  });

  it('accepts market.historyMinutes from 0 to one week and rejects anything else', () => {
    const market = (historyMinutes: unknown) => ({ ...base, market: { ...base.market, historyMinutes } }) as unknown as Scenario;
    expect(() => validateScenario(market(120), 'x')).not.toThrow();
    expect(() => validateScenario(market(0), 'x')).not.toThrow();
    for (const bad of [-1, 1.5, 10_081, '60']) expect(() => validateScenario(market(bad), 'x')).toThrow(/market.historyMinutes must be a whole number/);
  });

  it('rejects a finding id that is not "<audit file>#<id>"', () => {
    expect(() => validateScenario({ ...base, findings: ['S-C2'] }, 'x')).toThrow(/finding/);
  });

  describe('startup files', () => {
    const withFiles = (files: unknown) => ({ ...base, startup: { env: { X: '{STATE_DIR}/a.json' }, decideMs: 1000, files } }) as unknown as Scenario;

    it('accepts plain file names with content and permission bits', () => {
      expect(() => validateScenario(withFiles({ 'refbot.json': { content: '{}', mode: 0o666 }, 'b.txt': { content: '' } }), 'x')).not.toThrow();
    });

    it.each([
      [{ '../escape.json': { content: '{}' } }, /plain file name/],
      [{ 'dir/a.json': { content: '{}' } }, /plain file name/],
      [{ 'a.json': { content: 5 } }, /content must be a string/],
      [{ 'a.json': { content: '{}', mode: 0o1777 } }, /mode must be permission bits/],
      [{ 'a.json': { content: '{}', mode: -1 } }, /mode must be permission bits/],
      [[1], /must map file names/],
    ])('rejects %j', (files, msg) => {
      expect(() => validateScenario(withFiles(files), 'x')).toThrow(msg);
    });
  });
});
