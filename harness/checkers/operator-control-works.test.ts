import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { operatorControlWorks } from './operator-control-works.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['control-api', 'probes'], options: {} };
const check = (h: SyntheticHistory) => runCheck(operatorControlWorks, h.events, ctx);
const start = (h: SyntheticHistory, t: number) => h.at(t).add('fault', 'fault.start', { id: 'f1', kind: 'control-api-halt', params: {} }, 'bot-1');

describe('operator-control-works', () => {
  it('is registered and cites H5 and enable-ops', () => {
    expect(checker('operator-control-works')).toBe(operatorControlWorks);
    expect(operatorControlWorks.findings).toEqual(['001_0474a2fd1532b929.txt#H5', '001_0474a2fd1532b929.txt#enable-ops-defaults-to-false-for-live-trading']);
  });

  it('passes an accepted halt the bot obeys', () => {
    const h = new SyntheticHistory();
    start(h, 3000);
    h.at(3005).add('target', 'probe', { probe: 'halt', reason: 'control-api' }, 'bot-1'); // while it handles the request
    h.at(3010).add('fault', 'control.halt', { id: 'f1', status: 200, body: '{"halted":true}' }, 'bot-1');
    h.at(9000).add('harness', 'scenario.window.end', {});
    expect(check(h).valid).toBe(true);
  });

  it('fails a halt refused with 403, one the bot ignores, and one that cannot reach the API', () => {
    const refused = new SyntheticHistory();
    const s = start(refused, 3000);
    const ans = refused.at(3010).add('fault', 'control.halt', { id: 'f1', status: 403, body: 'Forbidden' }, 'bot-1');
    refused.at(9000).add('harness', 'scenario.window.end', {});
    const r = check(refused);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([ans, s]);
    expect(r.violations[0]?.message).toMatch(/refused with HTTP 403 \(Forbidden\): the bot runs without runtime control/);

    const ignored = new SyntheticHistory();
    start(ignored, 3000);
    ignored.at(3010).add('fault', 'control.halt', { id: 'f1', status: 200, body: '{}' }, 'bot-1');
    ignored.at(9000).add('harness', 'scenario.window.end', {});
    expect(check(ignored).violations[0]?.message).toMatch(/accepted \(HTTP 200\) but the bot did not halt within 2000 ms/);

    const off = new SyntheticHistory();
    start(off, 3000);
    off
      .at(3001)
      .add(
        'fault',
        'fault.error',
        { id: 'f1', kind: 'control-api-halt', phase: 'inject', error: 'Error: control-api-halt: cannot read /s/refbot-control.json: ENOENT' },
        'bot-1',
      );
    off.at(9000).add('harness', 'scenario.window.end', {});
    expect(check(off).violations[0]?.message).toMatch(/could not reach its control API \(Error: control-api-halt: cannot read/);
  });

  it('answers unknown without an operator halt, or too close to the end', () => {
    expect(check(new SyntheticHistory()).valid).toBe('unknown');
    const late = new SyntheticHistory();
    start(late, 3000);
    late.at(3010).add('fault', 'control.halt', { id: 'f1', status: 200, body: '{}' }, 'bot-1');
    late.at(3500).add('harness', 'scenario.window.end', {});
    expect(check(late).valid).toBe('unknown');
  });
});
