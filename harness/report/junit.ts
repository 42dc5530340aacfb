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
      const props = `<properties><property name="findings" value="${xmlEscape(findings)}"/></properties>`;
      return `    <testcase name="${name}" classname="${classname}" time="${seconds(s.durationMs)}">${props}${body}</testcase>`;
    });
    const failures = s.checks.filter((c) => c.valid === false).length;
    const errors = s.checks.filter((c) => c.valid === 'unknown').length;
    return [
      `  <testsuite name="${xmlEscape(s.id)}" tests="${s.checks.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(s.durationMs)}" timestamp="${summary.startedAt.replace(/\.\d+Z$/, '')}">`,
      `    <properties><property name="seed" value="${summary.seed}"/><property name="findings" value="${xmlEscape(s.findings.join(' '))}"/><property name="rerun" value="${xmlEscape(summary.rerun)}"/></properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const all = summary.scenarios.flatMap((s) => s.checks);
  const failures = all.filter((c) => c.valid === false).length;
  const errors = all.filter((c) => c.valid === 'unknown').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline ${xmlEscape(summary.runId)}" tests="${all.length}" failures="${failures}" errors="${errors}" time="${seconds(summary.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJunitReport(path: string, summary: RunSummary): void {
  writeFileSync(`${path}.tmp`, renderJunit(summary));
  renameSync(`${path}.tmp`, path);
}
