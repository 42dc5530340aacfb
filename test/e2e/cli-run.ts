import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseHistory, readHistory } from '../../harness/history/reader.ts';
import type { HistoryEvent } from '../../harness/history/types.ts';
import type { RunSummary } from '../../harness/report/summary.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'harness', 'cli', 'faultline.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI (same Node as the tests) in its own process, like a user would. */
export function startCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

export async function runCli(args: string[]): Promise<CliResult> {
  return startCli(args).done;
}

export interface RunArtifacts {
  runDir: string;
  summary: RunSummary;
  events: HistoryEvent[];
}

/** Reads the run folder named on the CLI's "report:" line. */
export function artifacts(reportsDir: string, result: CliResult): RunArtifacts {
  const m = /report: (\S+?)\/?\s/.exec(result.stdout);
  if (!m?.[1]) throw new Error(`no report line in stdout:\n${result.stdout}\n${result.stderr}`);
  const runDir = resolve(ROOT, m[1]);
  if (!runDir.startsWith(reportsDir)) throw new Error(`run folder ${runDir} is outside ${reportsDir}`);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  return { runDir, summary, events: readHistory(join(runDir, 'history.jsonl')).events };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a run must not leave behind: every process it started (from the history) is gone, every
 * Toxiproxy proxy it created was removed, and its temp folder no longer exists.
 */
export function leftovers(events: HistoryEvent[]): string[] {
  const problems: string[] = [];
  for (const e of events) {
    const pid = (e.data as { pid?: number }).pid;
    if ((e.type === 'dep.start' || e.type === 'target.start') && typeof pid === 'number' && alive(pid)) {
      problems.push(`${e.type} pid ${pid} (${JSON.stringify(e.data)}) is still running`);
    }
    if (e.type === 'temp.create' && existsSync(String((e.data as { path: string }).path))) {
      problems.push(`temp folder ${(e.data as { path: string }).path} still exists`);
    }
  }
  const created = events.filter((e) => e.type === 'link.create').map((e) => `${e.scenario}/${(e.data as { proxy: string }).proxy}`);
  const removed = new Set(events.filter((e) => e.type === 'link.remove').map((e) => `${e.scenario}/${(e.data as { proxy: string }).proxy}`));
  for (const p of created) if (!removed.has(p)) problems.push(`proxy ${p} was never removed`);
  if (created.length === 0) problems.push('no proxies were created at all (the run did not get far enough to judge teardown)');
  return problems;
}

/** Polls the newest run's history under reportsDir until it holds an event of `type`. */
export async function waitForHistoryEvent(reportsDir: string, type: string, timeoutMs: number): Promise<void> {
  const latest = join(reportsDir, 'latest', 'history.jsonl');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(latest) && parseHistory(readFileSync(latest, 'utf8')).events.some((e) => e.type === type)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for a ${type} event in ${latest}`);
}

/** One scenario against refbot with one profile: the run every e2e test starts. */
export interface RunSpec {
  scenario: string;
  profile: string;
  seed: number;
  reportsDir: string;
  runtime?: 'local' | 'containers';
  /** refbot's flaws option: one flaw name (or a comma list, or 'none') overriding the profile's set. */
  flaws?: string;
  /** More --target-opt pairs. */
  targetOpts?: Record<string, string>;
}

export function runArgs(s: RunSpec): string[] {
  return [
    'run',
    s.scenario,
    '--target',
    'refbot',
    '--target-opt',
    `profile=${s.profile}`,
    ...(s.flaws === undefined ? [] : ['--target-opt', `flaws=${s.flaws}`]),
    ...Object.entries(s.targetOpts ?? {}).flatMap(([k, v]) => ['--target-opt', `${k}=${v}`]),
    '--seed',
    String(s.seed),
    ...(s.runtime ? ['--runtime', s.runtime] : []),
    '--reports-dir',
    s.reportsDir,
  ];
}

/** Runs the CLI to completion and reads the run folder it reports. */
export async function runScenario(s: RunSpec): Promise<CliResult & RunArtifacts> {
  const r = await runCli(runArgs(s));
  return { ...r, ...artifacts(s.reportsDir, r) };
}
