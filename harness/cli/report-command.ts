import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.ts';
import { readHistory } from '../history/reader.ts';
import { runStartOf, summarizeHistory } from '../report/rebuild.ts';
import { verdictCounts } from '../report/report-model.ts';
import type { RunSummary } from '../report/summary.ts';
import { writeReports } from '../report/write.ts';
import { loadScenarios } from '../runner/scenarios.ts';
import { processAlive, sweepOrphans } from '../runtimes/local/sweep.ts';
import { loadTarget } from '../targets/manifest.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const REPORT_USAGE = 'faultline report <run-dir> [--json]';

function readPrevious(path: string): RunSummary | undefined {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as RunSummary;
    return s.schemaVersion === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

export interface ReportCommandIo {
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  projectRoot?: string;
}

/**
 * `faultline report <run-dir> [--json]`: rebuilds summary.json, junit.xml, report.html and
 * report.md from the run's history.jsonl alone (re-running the checkers), and regenerates the
 * reports folder's index.html. Works on a killed run's partial history. If the run's harness is
 * dead, first sweeps the processes and temp folders it orphaned. Returns the run's exit code
 * (0 pass, 1 violated, 3 inconclusive or partial), like `faultline run` would have.
 */
export async function reportCommand(argv: string[], io: ReportCommandIo = {}): Promise<number> {
  const out = io.out ?? process.stdout;
  const err = io.err ?? process.stderr;
  const root = io.projectRoot ?? PROJECT_ROOT;
  let values: { json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    throw new ConfigError(`report: ${(e as Error).message}`, `usage: ${REPORT_USAGE}`);
  }
  if (values.help) {
    out.write(`usage: ${REPORT_USAGE}\n  Rebuilds a run folder's reports from its history.jsonl (also a killed run's partial one).\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new ConfigError('report takes exactly one run folder', `usage: ${REPORT_USAGE} (e.g. reports/latest)`);
  const runDir = resolve(positionals[0] as string);
  const historyPath = join(runDir, 'history.jsonl');
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new ConfigError(`no run folder at ${runDir}`, `usage: ${REPORT_USAGE}`);
  if (!existsSync(historyPath)) throw new ConfigError(`${runDir} has no history.jsonl; it is not a Faultline run folder`);

  const { events, truncated } = readHistory(historyPath);
  const start = runStartOf(events);
  const pid = start.pid;
  // A dead harness may have left redis-server, toxiproxy-server or the bot running: the sweep finds
  // them by their run's pid registry and FAULTLINE_HARNESS_PID, and leaves live harnesses alone.
  if (typeof pid === 'number' && !processAlive(pid)) {
    const swept = sweepOrphans();
    const killed = swept.killed;
    const note =
      killed.length || swept.removedDirs.length
        ? `harness ${pid} is gone: killed ${killed.length} orphaned process(es)${killed.length ? ` (${killed.join(', ')})` : ''} and removed ${swept.removedDirs.length} temp folder(s)`
        : `harness ${pid} is gone: no orphaned processes or temp folders left`;
    err.write(`[faultline] ${note}\n`);
  }

  const scenarios = await loadScenarios(root);
  let capabilities: string[] | undefined;
  try {
    capabilities = loadTarget(root, start.target).manifest.capabilities;
  } catch {
    capabilities = undefined;
  }
  const summary = summarizeHistory(events, { scenarios, capabilities, previous: readPrevious(join(runDir, 'summary.json')), truncated });
  const { written, problems } = writeReports(runDir, summary, events);
  for (const p of problems) err.write(`[faultline] could not write a report: ${p}\n`);

  if (values.json) {
    out.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const c = verdictCounts(summary);
    const rel = relative(process.cwd(), runDir) || '.';
    out.write(
      [
        `${summary.verdict.toUpperCase()}${summary.partial ? ' (PARTIAL: the history ends without run.end)' : ''}: ${c.pass} passed, ${c.fail} failed, ${c.unknown} unknown, from ${events.length} events`,
        `report: ${rel}/  (${written.map((w) => relative(runDir, w)).join(', ')})`,
        `rerun:  ${summary.rerun}`,
        '',
      ].join('\n'),
    );
  }
  return summary.exitCode;
}
