import { describe, expect, it } from 'vitest';
import { findingScorecard } from './report-model.ts';
import type { ScenarioSummary } from './summary.ts';

const check = (name: string, findings: string[], valid: true | false | 'unknown') => ({ name, findings, valid, violations: [], notes: [], stats: {} });
const scenario = (id: string, findings: string[], checks: ScenarioSummary['checks']) => ({ id, findings, checks }) as unknown as ScenarioSummary;

describe('findingScorecard', () => {
  it('credits a multi-finding check only with the findings its scenario exercises', () => {
    const rows = findingScorecard({
      scenarios: [
        scenario('bad-symbol', ['a.txt#C3'], [check('config-fails-fast', ['a.txt#C2', 'a.txt#C3'], true)]),
        scenario('bad-number', ['a.txt#C2'], [check('config-fails-fast', ['a.txt#C2', 'a.txt#C3'], false)]),
      ],
    });
    expect(rows).toEqual([
      { finding: 'a.txt#C2', verdict: 'fail', checks: ['config-fails-fast'], scenarios: ['bad-number'] },
      { finding: 'a.txt#C3', verdict: 'pass', checks: ['config-fails-fast'], scenarios: ['bad-symbol'] },
    ]);
  });

  it('credits all of a check’s findings when the scenario cites none of them', () => {
    const rows = findingScorecard({ scenarios: [scenario('s', ['b.txt#X'], [check('egress', ['c.txt#C1'], 'unknown')])] });
    expect(rows.map((r) => [r.finding, r.verdict])).toEqual([
      ['b.txt#X', 'unknown'],
      ['c.txt#C1', 'unknown'],
    ]);
  });
});
