import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHistory } from '../history/reader.ts';
import { esc } from './html.ts';
import { verdictCounts } from './report-model.ts';
import type { RunSummary } from './summary.ts';
import { type Change, familyVerdicts, findingVerdicts, groupKey, type RunEntry, type TrendRow, trends } from './trend.ts';

function entryFromSummary(name: string, s: RunSummary): RunEntry {
  const e: RunEntry = {
    runId: s.runId,
    startedAt: s.startedAt,
    target: s.target,
    targetOptions: s.targetOptions,
    seed: s.seed,
    verdict: s.verdict,
    partial: s.partial === true,
    counts: verdictCounts(s),
    findings: findingVerdicts(s),
    families: familyVerdicts(s),
    // Summaries written before report.html existed link to their summary.json.
    href: `${encodeURIComponent(name)}/${s.files.html ?? s.files.summary}`,
  };
  if (s.targetFingerprint) e.fingerprint = s.targetFingerprint.value;
  return e;
}

/** A killed run that nobody has run `faultline report` on yet: listed from its run.start, unknown. */
function entryFromHistory(name: string, text: string): RunEntry | undefined {
  const start = parseHistory(text).events.find((e) => e.type === 'run.start');
  if (!start) return undefined;
  const d = start.data as { runId?: string; seed?: number; target?: string; targetOptions?: Record<string, string> };
  return {
    runId: d.runId ?? name,
    startedAt: '',
    target: d.target ?? '?',
    targetOptions: d.targetOptions ?? {},
    seed: d.seed ?? 0,
    verdict: 'unknown',
    partial: true,
    counts: { pass: 0, fail: 0, unknown: 0 },
    findings: {},
    families: {},
    href: `${encodeURIComponent(name)}/history.jsonl`,
  };
}

/** Every run folder under reportsDir (summary.json, or a bare history of a killed run), newest first. */
export function scanRuns(reportsDir: string): RunEntry[] {
  const out: RunEntry[] = [];
  for (const name of readdirSync(reportsDir)) {
    if (name.startsWith('.') || name === 'latest') continue;
    const dir = join(reportsDir, name);
    try {
      if (!statSync(dir).isDirectory()) continue;
      const summaryPath = join(dir, 'summary.json');
      if (existsSync(summaryPath)) {
        const s = JSON.parse(readFileSync(summaryPath, 'utf8')) as RunSummary;
        if (s.schemaVersion === 1) out.push(entryFromSummary(name, s));
        continue;
      }
      const historyPath = join(dir, 'history.jsonl');
      if (existsSync(historyPath)) {
        const e = entryFromHistory(name, readFileSync(historyPath, 'utf8'));
        if (e) out.push(e);
      }
    } catch {
      // One unreadable folder (a run being written, a stray file) must not hide the others.
    }
  }
  return out.sort((a, b) => b.runId.localeCompare(a.runId));
}

const CHANGE_TEXT: Record<Change, string> = {
  'newly-failing': 'newly failing',
  'newly-fixed': 'newly fixed',
  'still-failing': 'still failing',
  'still-passing': 'still passing',
  'first-run': 'first run',
  inconclusive: 'inconclusive',
};

const pill = (v: string, text = v.toUpperCase()) => `<span class="pill pill-${esc(v)}">${esc(text)}</span>`;

function trendTable(rows: TrendRow[]): string {
  const body = rows
    .map((r) => {
      const dots = r.history
        .map(
          (h) =>
            `<span class="dot dot-${h.verdict}" title="${esc(`${h.runId}: ${h.verdict}${h.fingerprint ? ` (code ${h.fingerprint.slice(0, 12)})` : ''}`)}">${h.verdict[0]?.toUpperCase()}</span>`,
        )
        .join('');
      return `<tr data-dimension="${r.dimension}" data-key="${esc(r.key)}" data-change="${r.change}" data-flaky="${r.flaky}"><td>${r.dimension === 'finding' ? 'finding' : 'fault family'}</td><td><code>${esc(r.key)}</code></td><td class="change change-${r.change}">${CHANGE_TEXT[r.change]}</td><td>${r.flaky ? pill('unknown', 'FLAKY') : ''}</td><td class="dots">${dots}</td></tr>`;
    })
    .join('\n');
  return `<table><thead><tr><th scope="col">Dimension</th><th scope="col">Key</th><th scope="col">Latest change</th><th scope="col">Flaky</th><th scope="col">Verdicts, oldest → newest</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** reports/index.html: every run (newest first) and, per target + options, the trends. */
export function renderIndex(runs: readonly RunEntry[]): string {
  const rows = runs
    .map((r) => {
      const opts = Object.entries(r.targetOptions)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `<tr data-run="${esc(r.runId)}" data-verdict="${r.verdict}" data-partial="${r.partial}"><td><a href="${esc(r.href)}">${esc(r.runId)}</a></td><td>${pill(r.verdict)}${r.partial ? ` ${pill('partial')}` : ''}</td><td>${esc(r.target)}</td><td><code>${esc(opts)}</code></td><td>${r.seed}</td><td>${r.counts.pass}</td><td>${r.counts.fail}</td><td>${r.counts.unknown}</td><td><code>${esc(r.fingerprint?.slice(0, 12) ?? '')}</code></td></tr>`;
    })
    .join('\n');
  const groups = new Map<string, RunEntry[]>();
  for (const r of runs) groups.set(groupKey(r), [...(groups.get(groupKey(r)) ?? []), r]);
  const trendSections = [...groups.entries()]
    .filter(([, rs]) => rs.some((r) => Object.keys(r.findings).length > 0))
    .map(
      ([key, rs]) =>
        `<section class="trend" data-group="${esc(key)}"><h3><code>${esc(key)}</code> (${rs.length} run${rs.length === 1 ? '' : 's'})</h3>${trendTable(trends(rs))}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Faultline runs</title>
<style>
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #0f172a; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.86rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin-bottom: 16px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #cbd5e1; vertical-align: top; }
th { background: #f8fafc; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-weight: 700; font-size: 0.78rem; color: #fff; }
.pill-pass { background: #15803d; } .pill-fail { background: #b91c1c; } .pill-unknown { background: #92400e; } .pill-partial { background: #7c2d12; }
.dot { display: inline-block; width: 1.3em; text-align: center; margin-right: 2px; border-radius: 3px; color: #fff; font-size: 0.75rem; font-weight: 700; }
.dot-pass { background: #15803d; } .dot-fail { background: #b91c1c; } .dot-unknown { background: #92400e; }
.change-newly-failing { color: #b91c1c; font-weight: 700; } .change-newly-fixed { color: #15803d; font-weight: 700; }
</style></head>
<body><main>
<h1>Faultline runs</h1>
<p>${runs.length} run${runs.length === 1 ? '' : 's'}, newest first. A verdict change between runs with the same code fingerprint is flaky, not a fix or a regression.</p>
<table><thead><tr><th scope="col">Run</th><th scope="col">Verdict</th><th scope="col">Target</th><th scope="col">Options</th><th scope="col">Seed</th><th scope="col">Pass</th><th scope="col">Fail</th><th scope="col">Unknown</th><th scope="col">Code</th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Trends per target and options</h2>
${trendSections || '<p>No runs with checks yet.</p>'}
</main></body></html>
`;
}

/** Regenerates reportsDir/index.html atomically (concurrent runs may race; the last one wins whole). */
export function writeIndex(reportsDir: string): string {
  const path = join(reportsDir, 'index.html');
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, renderIndex(scanRuns(reportsDir)));
  renameSync(tmp, path);
  return path;
}
