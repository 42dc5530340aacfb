/**
 * `faultline repro <finding-id> --target <name> [--target-opt k=v]... [--seed N] [--runtime R]`:
 * reproduces one audit finding. Runs the scenarios that cover it with a fixed seed (by default
 * derived from the finding id, so the same command always replays the same price path and fault
 * schedule), then prints the verdict, the violated checks (those citing the finding first), their
 * evidence events from the history, and a one-line command that reruns it exactly.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findingLabels, loadCatalog } from '../catalog/load.ts';
import type { Finding } from '../catalog/types.ts';
import { ConfigError } from '../core/errors.ts';
import { readHistory } from '../history/reader.ts';
import type { HistoryEvent } from '../history/types.ts';
import { ConsoleReporter } from '../report/console.ts';
import type { RunSummary } from '../report/summary.ts';
import { run, shellQuote } from '../runner/run.ts';
import { loadScenarios } from '../runner/scenarios.ts';
import { effectiveCapabilities } from '../runtimes/capabilities.ts';
import { loadTarget, resolveOptions } from '../targets/manifest.ts';
import { parseSeed, parseTargetOpts } from './args.ts';
import { trapSignals } from './signals.ts';

export const REPRO_HELP = `faultline repro <finding-id> --target <name> [--target-opt key=value]... [--seed N] [--runtime R]

Reproduces one audit finding (an id from \`faultline findings\`, e.g. 000_2ae31cbfe79758d1.txt#S-C2):
runs every scenario that covers it against the target with a fixed seed, then prints the verdict,
the violated checks (those citing the finding first), the evidence events from the run's history,
and a one-line command that reruns it exactly (same seed, target, options and runtime).

  -t, --target <name>         target to run (e.g. refbot)
  -o, --target-opt key=value  target option (repeatable), e.g. profile=naive
  -s, --seed N                seed (default: derived from the finding id, the same every time)
      --runtime R             local (default) or containers
      --reports-dir DIR       where the run folder goes (default ./reports)

Exit code as for run: 1 when a check is violated (the finding reproduced), 0 when every check is
valid, 2 on bad input (unknown finding, no scenario covers it), 3 when inconclusive.
`;

/** FNV-1a of the finding id: a fixed seed per finding. */
export function findingSeed(id: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(id, 'utf8')) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function resolveFinding(findings: readonly Finding[], given: string): Finding {
  const hit = findings.find((f) => findingLabels(f).includes(given));
  if (hit) return hit;
  const [audit] = given.split('#');
  const near = findings.filter((f) => f.audit === audit || f.id.endsWith(`#${given.split('#')[1] ?? given}`)).slice(0, 5);
  throw new ConfigError(
    `unknown finding "${given}"`,
    near.length ? `did you mean: ${near.map((f) => f.id).join(', ')}?` : 'ids look like 000_2ae31cbfe79758d1.txt#S-C2; see `faultline findings`',
  );
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

function describeEvent(e: HistoryEvent): string {
  return `#${e.seq} t=${(e.t / 1000).toFixed(3)}s ${e.src} ${e.type}${e.instance ? ` [${e.instance}]` : ''} ${clip(JSON.stringify(e.data), 200)}`;
}

/** The verdict block: per scenario, violated checks (the finding's first) with their evidence. */
export function reproReport(findingId: string, summary: RunSummary, events: readonly HistoryEvent[], maxViolations = 3): string[] {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const out: string[] = [];
  for (const s of summary.scenarios) {
    out.push(`${s.id}: ${s.verdict.toUpperCase()}${s.error ? ` (${s.error})` : ''}`);
    const checks = [...s.checks].sort((a, b) => Number(b.findings.includes(findingId)) - Number(a.findings.includes(findingId)));
    for (const c of checks) {
      const mark = c.valid === false ? 'VIOLATED' : c.valid === true ? 'valid' : 'unknown';
      out.push(`  ${mark} ${c.name}${c.findings.includes(findingId) ? ` (encodes ${findingId})` : ''}`);
      if (c.valid === 'unknown') for (const n of c.notes.slice(0, 2)) out.push(`    ${n}`);
      for (const v of c.violations.slice(0, maxViolations)) {
        out.push(`    violation at ${(v.t / 1000).toFixed(3)}s${v.instance ? ` [${v.instance}]` : ''}: ${v.message}`);
        for (const seq of v.evidence) {
          const e = bySeq.get(seq);
          out.push(`      ${e ? describeEvent(e) : `#${seq} (not in the history)`}`);
        }
      }
      if (c.violations.length > maxViolations) out.push(`    … ${c.violations.length - maxViolations} more violation(s) in the report`);
    }
  }
  return out;
}

export async function reproCommand(projectRoot: string, argv: string[]): Promise<number> {
  let parsed: { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        target: { type: 'string', short: 't' },
        'target-opt': { type: 'string', short: 'o', multiple: true },
        seed: { type: 'string', short: 's' },
        runtime: { type: 'string', default: 'local' },
        'reports-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new ConfigError(`repro: ${(err as Error).message}`, 'see `faultline help repro`');
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(REPRO_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1)
    throw new ConfigError('repro takes exactly one finding id', 'e.g. faultline repro 000_2ae31cbfe79758d1.txt#S-C2 --target refbot');
  if (typeof v.target !== 'string') throw new ConfigError('repro needs --target <name>', 'e.g. --target refbot');
  const runtime = v.runtime as string;
  if (runtime !== 'local' && runtime !== 'containers') throw new ConfigError(`--runtime must be local or containers, got "${runtime}"`);

  const finding = resolveFinding(loadCatalog(projectRoot).findings, parsed.positionals[0] as string);
  if (!finding.testable) throw new ConfigError(`${finding.id} is not externally testable: ${finding.reason}`);
  const labels = findingLabels(finding);
  const all = await loadScenarios(projectRoot);
  const covering = [...all.values()].filter((s) => s.findings.some((f) => labels.includes(f)));
  if (covering.length === 0) {
    throw new ConfigError(`no scenario covers ${finding.id} yet (${finding.family})`, 'see `faultline findings --coverage`');
  }
  const { manifest, dir } = loadTarget(projectRoot, v.target);
  const capabilities = effectiveCapabilities(manifest.capabilities, runtime);
  const scenarios = covering.filter((s) => s.requires.every((c) => capabilities.includes(c)));
  if (scenarios.length === 0) {
    throw new ConfigError(
      `target ${manifest.name} cannot take part in any scenario covering ${finding.id}`,
      covering.map((s) => `${s.id} needs ${s.requires.join(', ')}`).join('; '),
    );
  }
  const given = parseTargetOpts((v['target-opt'] as string[] | undefined) ?? []);
  const target = { manifest, dir, ...resolveOptions(manifest, given) };
  const seed = typeof v.seed === 'string' ? parseSeed(v.seed) : findingSeed(finding.id);
  const again = ['npx', 'faultline', 'repro', finding.id, '--target', manifest.name];
  for (const [k, val] of Object.entries(given)) again.push('--target-opt', `${k}=${val}`);
  again.push('--seed', String(seed), '--runtime', runtime);
  if (typeof v['reports-dir'] === 'string') again.push('--reports-dir', v['reports-dir']);

  process.stderr.write(`faultline repro ${finding.id}: ${finding.title} [${finding.family}]\n  scenarios: ${scenarios.map((s) => s.id).join(', ')}\n`);
  const controller = new AbortController();
  const untrap = trapSignals(controller);
  try {
    const { summary, runDir } = await run({
      projectRoot,
      reportsDir: typeof v['reports-dir'] === 'string' ? resolve(v['reports-dir']) : join(projectRoot, 'reports'),
      scenarios,
      target,
      givenTargetOptions: given,
      seed,
      runtime,
      signal: controller.signal,
      reporters: [new ConsoleReporter()],
    });
    const events = readHistory(join(runDir, summary.files.history)).events;
    const reproduced = summary.scenarios.some((s) => s.checks.some((c) => c.valid === false && c.findings.some((f) => labels.includes(f))));
    const lines = [
      '',
      `repro ${finding.id}: ${reproduced ? 'REPRODUCED' : summary.verdict === 'pass' ? 'not reproduced (every check valid)' : `not reproduced (verdict ${summary.verdict})`}`,
      ...reproReport(finding.id, summary, events),
      `repro again: ${again.map(shellQuote).join(' ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return summary.exitCode;
  } finally {
    untrap();
  }
}
