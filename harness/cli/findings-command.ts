/**
 * `faultline findings [--json] [--testable] [--family F] [--audit FILE] [--coverage]`: the finding
 * catalog (catalog/findings.json), every finding of the audit reports classified as externally
 * testable or not, with the checks (harness/checkers/registry.ts) and scenarios (scenarios/*.ts)
 * that already cite each one.
 *
 * Human output: per audit a table (id, severity, testable, family, checks, scenarios, title), then
 * totals per audit and per family (findings / testable / with check / with scenario). --coverage
 * prints the totals only. --json prints the filtered catalog with each finding's checks and
 * scenarios, the totals and any citation of a finding the catalog does not know.
 */
import { parseArgs } from 'node:util';
import { findingLabels, loadCatalog, PROJECT_ROOT } from '../catalog/load.ts';
import type { Catalog, Finding } from '../catalog/types.ts';
import { allCheckers } from '../checkers/registry.ts';
import { ConfigError, EXIT } from '../core/errors.ts';
import { loadScenarios } from '../runner/scenarios.ts';

export const FINDINGS_USAGE = 'usage: faultline findings [--json] [--testable] [--family F] [--audit FILE] [--coverage]';

/** Text for `faultline help findings` (to be wired into help.ts). */
export const FINDINGS_HELP = `faultline findings [--json] [--testable] [--family F] [--audit FILE] [--coverage]

Lists the finding catalog (catalog/findings.json): every finding of the audit reports, whether it
is externally testable and why, its invariant family, the faults or inputs that exercise it, and
the checks and scenarios that already cite it. Ends with totals per audit and per family:
findings / testable / with check / with scenario.

  --testable     only findings a fault or input can expose from outside the bot
  --family F     only findings of one invariant family (e.g. stale-or-gappy-data)
  --audit FILE   only one audit (its file name, or a unique prefix such as 003)
  --coverage     the totals only
  --json         the filtered catalog for machines, each finding with its checks and scenarios
`;

export interface FindingsArgs {
  json: boolean;
  testable: boolean;
  coverage: boolean;
  family: string | undefined;
  audit: string | undefined;
}

export function parseFindingsArgs(argv: string[]): FindingsArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        testable: { type: 'boolean' },
        coverage: { type: 'boolean' },
        family: { type: 'string' },
        audit: { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    return {
      json: values.json ?? false,
      testable: values.testable ?? false,
      coverage: values.coverage ?? false,
      family: values.family,
      audit: values.audit,
    };
  } catch (err) {
    throw new ConfigError((err as Error).message, FINDINGS_USAGE);
  }
}

/** Finding id -> names of the checks / ids of the scenarios citing it (aliases resolved). */
export interface Coverage {
  checks: Map<string, string[]>;
  scenarios: Map<string, string[]>;
  /** Citations of findings the catalog does not know, e.g. `check foo cites 000_…#X-1`. */
  unknown: string[];
}

export function coverageOf(
  catalog: Catalog,
  checks: { name: string; findings: readonly string[] }[],
  scenarios: { id: string; findings: readonly string[] }[],
): Coverage {
  const byLabel = new Map<string, string>();
  for (const f of catalog.findings) for (const l of findingLabels(f)) byLabel.set(l, f.id);
  const cov: Coverage = { checks: new Map(), scenarios: new Map(), unknown: [] };
  const add = (into: Map<string, string[]>, what: string, name: string, cited: readonly string[]) => {
    for (const c of cited) {
      const id = byLabel.get(c);
      if (id === undefined) {
        cov.unknown.push(`${what} ${name} cites ${c}, which is not in the catalog`);
        continue;
      }
      const list = into.get(id) ?? [];
      if (!list.includes(name)) list.push(name);
      into.set(id, list);
    }
  };
  for (const c of checks) add(cov.checks, 'check', c.name, c.findings);
  for (const s of scenarios) add(cov.scenarios, 'scenario', s.id, s.findings);
  return cov;
}

function resolveAudit(catalog: Catalog, given: string): string {
  const exact = catalog.audits.find((a) => a.file === given);
  if (exact) return exact.file;
  const matches = catalog.audits.filter((a) => a.file.startsWith(given));
  if (matches.length === 1 && matches[0]) return matches[0].file;
  throw new ConfigError(
    matches.length === 0 ? `unknown audit "${given}"` : `audit "${given}" is ambiguous`,
    `audits: ${catalog.audits.map((a) => a.file).join(', ')} (a unique prefix such as 003 is enough)`,
  );
}

export function selectFindings(catalog: Catalog, a: FindingsArgs): Finding[] {
  if (a.family !== undefined && !catalog.families.some((f) => f.id === a.family)) {
    throw new ConfigError(`unknown family "${a.family}"`, `families: ${catalog.families.map((f) => f.id).join(', ')}`);
  }
  const audit = a.audit === undefined ? undefined : resolveAudit(catalog, a.audit);
  return catalog.findings.filter(
    (f) => (!a.testable || f.testable) && (a.family === undefined || f.family === a.family) && (audit === undefined || f.audit === audit),
  );
}

export interface TotalsRow {
  key: string;
  findings: number;
  testable: number;
  withCheck: number;
  withScenario: number;
}

function totals(key: string, fs: Finding[], cov: Coverage): TotalsRow {
  return {
    key,
    findings: fs.length,
    testable: fs.filter((f) => f.testable).length,
    withCheck: fs.filter((f) => cov.checks.has(f.id)).length,
    withScenario: fs.filter((f) => cov.scenarios.has(f.id)).length,
  };
}

export const NOT_TESTABLE = '(not testable)';

export function totalsPerAudit(catalog: Catalog, fs: Finding[], cov: Coverage): TotalsRow[] {
  return catalog.audits
    .map((a) =>
      totals(
        a.file,
        fs.filter((f) => f.audit === a.file),
        cov,
      ),
    )
    .filter((r) => r.findings > 0);
}

export function totalsPerFamily(catalog: Catalog, fs: Finding[], cov: Coverage): TotalsRow[] {
  const rows = catalog.families.map((fam) =>
    totals(
      fam.id,
      fs.filter((f) => f.family === fam.id),
      cov,
    ),
  );
  rows.push(
    totals(
      NOT_TESTABLE,
      fs.filter((f) => !f.testable),
      cov,
    ),
  );
  return rows.filter((r) => r.findings > 0);
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) {
    for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  }
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const TITLE_MAX = 80;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const count = (xs: string[] | undefined) => (xs === undefined ? '-' : xs.length === 1 ? (xs[0] ?? '-') : `${xs.length}`);

function totalsTable(title: string, first: string, rows: TotalsRow[], total?: TotalsRow): string[] {
  const head = [first, 'findings', 'testable', 'with check', 'with scenario'];
  const body = rows.map((r) => [r.key, `${r.findings}`, `${r.testable}`, `${r.withCheck}`, `${r.withScenario}`]);
  if (total) body.push([total.key, `${total.findings}`, `${total.testable}`, `${total.withCheck}`, `${total.withScenario}`]);
  return [title, ...table([head, ...body]).map((l) => `  ${l}`)];
}

function human(catalog: Catalog, fs: Finding[], cov: Coverage, coverageOnly: boolean): string[] {
  const out: string[] = [];
  if (!coverageOnly) {
    for (const a of catalog.audits) {
      const mine = fs.filter((f) => f.audit === a.file);
      if (mine.length === 0) continue;
      out.push(`${a.file}  ${a.title}`);
      const rows = mine.map((f) => [
        f.id.slice(a.file.length + 1),
        f.severity,
        f.testable ? 'yes' : 'no',
        f.family ?? '-',
        count(cov.checks.get(f.id)),
        count(cov.scenarios.get(f.id)),
        clip(f.title, TITLE_MAX),
      ]);
      out.push(...table([['id', 'severity', 'testable', 'family', 'check', 'scenario', 'title'], ...rows]).map((l) => `  ${l}`), '');
    }
  }
  if (fs.length === 0) return ['no findings match'];
  out.push(...totalsTable('Per audit:', 'audit', totalsPerAudit(catalog, fs, cov), totals('total', fs, cov)), '');
  out.push(...totalsTable('Per family:', 'family', totalsPerFamily(catalog, fs, cov)));
  return out;
}

export async function findingsCommand(argv: string[], projectRoot: string = PROJECT_ROOT): Promise<number> {
  const args = parseFindingsArgs(argv);
  const catalog = loadCatalog(projectRoot);
  const fs = selectFindings(catalog, args);
  const scenarios = [...(await loadScenarios(projectRoot)).values()];
  const cov = coverageOf(catalog, allCheckers(), scenarios);
  if (args.json) {
    const audits = new Set(fs.map((f) => f.audit));
    const out = {
      version: catalog.version,
      slugRule: catalog.slugRule,
      filter: { testable: args.testable, family: args.family ?? null, audit: args.audit ?? null },
      audits: catalog.audits.filter((a) => audits.has(a.file)),
      families: catalog.families,
      inputs: catalog.inputs,
      findings: fs.map((f) => ({ ...f, checks: cov.checks.get(f.id) ?? [], scenarios: cov.scenarios.get(f.id) ?? [] })),
      totals: { all: totals('total', fs, cov), perAudit: totalsPerAudit(catalog, fs, cov), perFamily: totalsPerFamily(catalog, fs, cov) },
      unknownCitations: cov.unknown,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = human(catalog, fs, cov, args.coverage);
  if (cov.unknown.length > 0) lines.push('', ...cov.unknown.map((u) => `warning: ${u}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
