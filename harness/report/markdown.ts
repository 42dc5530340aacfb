import { findingScorecard, scenarioRerun, verdictCounts, verdictOfValid } from './report-model.ts';
import type { RunSummary } from './summary.ts';

const ICON = { pass: '✅ PASS', fail: '❌ FAIL', unknown: '⚠️ UNKNOWN' } as const;

/** Markdown table cells: pipes and newlines would break the row. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** report.md: a short summary for a PR comment or a wiki page; report.html has the detail. */
export function renderMarkdown(summary: RunSummary, opts: { maxViolations?: number } = {}): string {
  const max = opts.maxViolations ?? 5;
  const c = verdictCounts(summary);
  const targetOpts = Object.entries(summary.targetOptions)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const out: string[] = [
    `## Faultline ${ICON[summary.verdict]}${summary.partial ? ' (partial run)' : ''}: ${summary.target}`,
    '',
    `Run \`${summary.runId}\` · target \`${summary.target}\` (${targetOpts || 'defaults'}) · seed ${summary.seed} · ${(summary.durationMs / 1000).toFixed(1)} s · ${c.pass} passed, ${c.fail} failed, ${c.unknown} unknown${summary.interrupted ? ` · interrupted by ${summary.interrupted}` : ''}`,
    '',
  ];
  if (summary.partial) {
    out.push(
      '> **Partial run**: the history ends without `run.end` (the harness was killed). Checks without a violation in the recorded prefix are unknown.',
      '',
    );
  }
  const findings = findingScorecard(summary);
  if (findings.length > 0) {
    out.push('| Finding | Verdict | Checks | Scenarios |', '|---|---|---|---|');
    for (const f of findings) out.push(`| \`${cell(f.finding)}\` | ${ICON[f.verdict]} | ${cell(f.checks.join(', '))} | ${cell(f.scenarios.join(', '))} |`);
    out.push('');
  }
  for (const s of summary.scenarios) {
    out.push(`### ${ICON[s.verdict]} ${cell(s.title)} (\`${s.id}\`)${s.partial ? ' (partial)' : ''}`, '');
    if (s.error) out.push(`> ${s.error.split('\n').join('\n> ')}`, '');
    for (const ch of s.checks) {
      out.push(`- ${ICON[verdictOfValid(ch.valid)]} \`${ch.name}\` (${ch.findings.join(', ')})`);
      for (const v of ch.violations.slice(0, max)) out.push(`  - t=${(v.t / 1000).toFixed(2)} s: ${v.message} (evidence seq ${v.evidence.join(', ')})`);
      if (ch.violations.length > max) out.push(`  - … and ${ch.violations.length - max} more (see report.html)`);
      if (ch.valid === 'unknown') for (const n of ch.notes) out.push(`  - note: ${n.split('\n')[0]}`);
    }
    out.push('', '```sh', scenarioRerun(summary.rerun, s.id), '```', '');
  }
  if (summary.notApplicable?.length) {
    out.push('### Not applicable', '');
    for (const n of summary.notApplicable) out.push(`- \`${n.id}\` (${cell(n.title)}): target lacks ${n.missing.join(', ')}`);
    out.push('');
  }
  out.push(`Files: ${[summary.files.html, summary.files.summary, summary.files.junit, summary.files.history].filter(Boolean).join(', ')}`, '');
  return out.join('\n');
}
