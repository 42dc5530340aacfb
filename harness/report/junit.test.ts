import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJunit } from './junit.ts';
import { summarizeHistory } from './rebuild.ts';
import type { RunSummary } from './summary.ts';
import { SCENARIO, syntheticRun } from './test-fixtures.ts';
import { xmllintSchema } from './xmllint.ts';

const dir = mkdtempSync(join(tmpdir(), 'junit-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmllint(xml: string, name: string): { ok: boolean; output: string } {
  const file = join(dir, name);
  writeFileSync(file, xml);
  return xmllintSchema(file);
}

const ctx = { scenarios: new Map([[SCENARIO.id, SCENARIO]]), capabilities: ['ws-market'] };

describe('junit.xml', () => {
  it('validates against the Jenkins JUnit schema for a violation, an unknown, a pass and a scenario without checks', () => {
    const fail = summarizeHistory(syntheticRun().events, ctx);
    const pass = summarizeHistory(syntheticRun({ staleTrade: false }).events, ctx);
    const gone = summarizeHistory(syntheticRun().events, { scenarios: new Map(), capabilities: [] });
    const unknown = summarizeHistory(syntheticRun({ staleTrade: false }).events, { ...ctx, capabilities: undefined });
    for (const [i, s] of [fail, pass, gone, unknown].entries()) {
      const r = xmllint(renderJunit(s), `j${i}.xml`);
      expect(r.ok, r.output).toBe(true);
    }
    const xml = renderJunit(fail);
    expect(xml).toMatch(/<failure type="violation"/);
    expect(xml).toMatch(/Synthetic|synthetic/);
    expect(renderJunit(gone)).toMatch(/<testcase name="\(scenario\)".*<error type="inconclusive"/);
    expect(renderJunit(unknown)).toMatch(/<error type="inconclusive"/);
  });

  it('reports a scenario the target cannot take part in as skipped, never as a pass', () => {
    const s = summarizeHistory(syntheticRun({ staleTrade: false }).events, ctx);
    s.notApplicable = [{ id: 'control-api-auth', title: 'Control API', missing: ['control-api'] }];
    const xml = renderJunit(s);
    const r = xmllint(xml, 'na.xml');
    expect(r.ok, r.output).toBe(true);
    expect(xml).toMatch(/<testsuite name="control-api-auth" tests="1" failures="0" errors="0" skipped="1"/);
    expect(xml).toContain('<skipped message="not applicable: target');
    expect(xml).toMatch(/<testsuites [^>]*tests="\d+"/);
  });

  it('escapes markup and control characters in messages', () => {
    const s = summarizeHistory(syntheticRun().events, ctx);
    const c = s.scenarios[0]?.checks[0] as RunSummary['scenarios'][number]['checks'][number];
    c.violations[0] = { t: 1, message: 'bad <tag> & "q" \u0001 ]]>', evidence: [1] };
    const r = xmllint(renderJunit(s), 'esc.xml');
    expect(r.ok, r.output).toBe(true);
  });
});
