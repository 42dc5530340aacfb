import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/load.ts';
import { ConfigError } from '../core/errors.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { RunSummary } from '../report/summary.ts';
import { findingSeed, reproReport, resolveFinding } from './repro-command.ts';

describe('faultline repro helpers', () => {
  const findings = loadCatalog().findings;

  it('derives a fixed 32-bit seed from the finding id', () => {
    const s = findingSeed('000_2ae31cbfe79758d1.txt#S-C2');
    expect(s).toBe(findingSeed('000_2ae31cbfe79758d1.txt#S-C2'));
    expect(s).not.toBe(findingSeed('000_2ae31cbfe79758d1.txt#S-C3'));
    expect(Number.isInteger(s) && s >= 0 && s <= 0xffff_ffff).toBe(true);
  });

  it('resolves ids and aliases, and suggests ids of the same audit for a typo', () => {
    expect(resolveFinding(findings, '000_2ae31cbfe79758d1.txt#S-C2').title).toMatch(/./);
    const withAlias = findings.find((f) => f.aliases?.length);
    if (withAlias) expect(resolveFinding(findings, `${withAlias.audit}#${withAlias.aliases?.[0]}`).id).toBe(withAlias.id);
    expect(() => resolveFinding(findings, '000_2ae31cbfe79758d1.txt#S-C99')).toThrow(ConfigError);
    try {
      resolveFinding(findings, '000_2ae31cbfe79758d1.txt#S-C99');
    } catch (err) {
      expect((err as ConfigError).hint).toMatch(/did you mean: 000_2ae31cbfe79758d1\.txt#/);
    }
  });

  it('prints the finding’s violated check first, with its evidence events', () => {
    const h = new SyntheticHistory();
    const fault = h.at(1000).add('fault', 'fault.start', { id: 'f1', kind: 'ws-disconnect' }, 'bot-1');
    const order = h.at(1500).add('venue', 'order.new', { orderId: 7, side: 'BUY' }, 'bot-1');
    const summary = {
      scenarios: [
        {
          id: 's1',
          verdict: 'fail',
          checks: [
            { name: 'other', findings: ['x.txt#1'], valid: 'unknown', violations: [], notes: ['no trading seen'], stats: {} },
            {
              name: 'stale',
              findings: ['a.txt#S-C2'],
              valid: false,
              violations: [{ t: 1500, instance: 'bot-1', message: 'traded on stale data', evidence: [order, fault, 999] }],
              notes: [],
              stats: {},
            },
          ],
        },
      ],
    } as unknown as RunSummary;
    const out = reproReport('a.txt#S-C2', summary, h.events);
    expect(out[0]).toBe('s1: FAIL');
    expect(out[1]).toBe('  VIOLATED stale (encodes a.txt#S-C2)');
    expect(out[2]).toBe('    violation at 1.500s [bot-1]: traded on stale data');
    expect(out[3]).toMatch(new RegExp(`^ {6}#${order} t=[\\d.]+s venue order\\.new \\[bot-1\\] \\{"orderId":7`));
    expect(out[5]).toBe('      #999 (not in the history)');
    expect(out).toContain('  unknown other');
    expect(out).toContain('    no trading seen');
  });
});
