import { renameSync, writeFileSync } from 'node:fs';
import type { RunSummary } from './summary.ts';

export function xmlEscape(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 forbids most control characters even when escaped.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/**
 * JUnit XML: one testsuite per scenario, one testcase per check. A violated check is a
 * <failure> carrying the violations and their evidence seqs; an inconclusive one is an <error>
 * (type "inconclusive"), so CI shows it red rather than passing it silently.
 */
export function renderJunit(summary: RunSummary): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = summary.scenarios.map((s) => {
    const cases = s.checks.map((c) => {
      const name = xmlEscape(c.name);
      const classname = xmlEscape(`${summary.target}.${s.id}`);
      const findings = c.findings.join(' ');
      let body = '';
      if (c.valid === false) {
        const text = c.violations.map((v) => `t=${Math.round(v.t)}ms ${v.message} [evidence seq ${v.evidence.join(', ')}]`).join('\n');
        body = `<failure type="violation" message="${xmlEscape(`${c.violations.length} violation(s) of ${c.name} (${findings})`)}">${xmlEscape(text)}</failure>`;
      } else if (c.valid === 'unknown') {
        const why = [...c.notes, ...(s.error ? [s.error] : [])].join('\n');
        body = `<error type="inconclusive" message="${xmlEscape(c.notes[0] ?? 'inconclusive')}">${xmlEscape(why)}</error>`;
      }
      // The common JUnit schema (Jenkins junit-10.xsd) has no <properties> inside <testcase>, so
      // the findings go to the testcase's system-out, which every CI viewer shows.
      const out = `<system-out>${xmlEscape(`findings: ${findings}${c.notes.length ? `\nnotes: ${c.notes.join('\n')}` : ''}`)}</system-out>`;
      return `    <testcase name="${name}" classname="${classname}" time="${seconds(s.durationMs)}">${body}${out}</testcase>`;
    });
    // A scenario whose checks could not run at all must not read as an empty, green suite.
    if (cases.length === 0) {
      const why = s.error ?? 'no checks ran';
      cases.push(
        `    <testcase name="(scenario)" classname="${xmlEscape(`${summary.target}.${s.id}`)}" time="${seconds(s.durationMs)}"><error type="inconclusive" message="${xmlEscape(why.split('\n')[0] ?? why)}">${xmlEscape(why)}</error></testcase>`,
      );
    }
    const failures = s.checks.filter((c) => c.valid === false).length;
    const errors = s.checks.length === 0 ? 1 : s.checks.filter((c) => c.valid === 'unknown').length;
    return [
      `  <testsuite name="${xmlEscape(s.id)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(s.durationMs)}" timestamp="${summary.startedAt.replace(/\.\d+Z$/, '')}">`,
      `    <properties><property name="seed" value="${summary.seed}"/><property name="findings" value="${xmlEscape(s.findings.join(' '))}"/><property name="rerun" value="${xmlEscape(summary.rerun)}"/>${summary.partial ? '<property name="partial" value="true"/>' : ''}${summary.targetFingerprint ? `<property name="targetFingerprint" value="${summary.targetFingerprint.value}"/>` : ''}</properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  // Not applicable: the target lacks a capability the scenario requires. Skipped, never green.
  for (const n of summary.notApplicable ?? []) {
    const why = `not applicable: target ${summary.target} lacks ${n.missing.join(', ')}`;
    suites.push(
      [
        `  <testsuite name="${xmlEscape(n.id)}" tests="1" failures="0" errors="0" skipped="1" time="0.000" timestamp="${summary.startedAt.replace(/\.\d+Z$/, '')}">`,
        `    <testcase name="(scenario)" classname="${xmlEscape(`${summary.target}.${n.id}`)}" time="0.000"><skipped message="${xmlEscape(why)}"/></testcase>`,
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const all = summary.scenarios.flatMap((s) => s.checks);
  const empty = summary.scenarios.filter((s) => s.checks.length === 0).length;
  const failures = all.filter((c) => c.valid === false).length;
  const errors = all.filter((c) => c.valid === 'unknown').length + empty;
  const skipped = summary.notApplicable?.length ?? 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline ${xmlEscape(summary.runId)}${summary.partial ? ' (partial)' : ''}" tests="${all.length + empty + skipped}" failures="${failures}" errors="${errors}" time="${seconds(summary.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJunitReport(path: string, summary: RunSummary): void {
  writeFileSync(`${path}.tmp`, renderJunit(summary));
  renameSync(`${path}.tmp`, path);
}
