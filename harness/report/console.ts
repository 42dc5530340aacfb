import { relative } from 'node:path';
import type { Scenario } from '../core/scenario.ts';
import type { HistoryEvent } from '../history/types.ts';
import type { ScenarioOutcome } from '../runner/scenario-run.ts';
import { StatusLine } from './status-line.ts';
import type { RunSummary } from './summary.ts';
import type { Reporter, RunStartInfo } from './types.ts';

const MARK = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;
const VALID = (v: true | false | 'unknown') => (v === true ? 'valid' : v === false ? 'VIOLATED' : 'unknown');

/** Live progress on stderr (phases, faults as they fire), the verdict and report location on stdout. */
export class ConsoleReporter implements Reporter {
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;
  readonly #cwd: string;
  #scenarioStart = 0;
  readonly #status: StatusLine;
  #phase = '';
  #scenarioId = '';
  readonly #activeFaults = new Set<string>();

  constructor(opts: { out?: NodeJS.WritableStream; err?: NodeJS.WritableStream; cwd?: string } = {}) {
    this.#out = opts.out ?? process.stdout;
    this.#err = opts.err ?? process.stderr;
    this.#cwd = opts.cwd ?? process.cwd();
    this.#status = new StatusLine(this.#err);
  }

  #progress(line: string): void {
    const secs = ((performance.now() - this.#scenarioStart) / 1000).toFixed(1).padStart(5);
    this.#status.clear();
    this.#err.write(`  [${secs}s] ${line}\n`);
  }

  #statusText(): string {
    const secs = ((performance.now() - this.#scenarioStart) / 1000).toFixed(1);
    const faults = this.#activeFaults.size > 0 ? ` · faults on: ${[...this.#activeFaults].join(', ')}` : '';
    return `${this.#scenarioId} · ${this.#phase} · ${secs}s${faults}`;
  }

  onRunStart(info: RunStartInfo): void {
    const opts = Object.entries(info.targetOptions)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    this.#err.write(
      `faultline run ${info.runId}: ${info.scenarios.length} scenario(s), target ${info.target} (${opts}), seed ${info.seed}, runtime ${info.runtime}\n`,
    );
  }

  onScenarioStart(s: Scenario): void {
    this.#scenarioStart = performance.now();
    this.#scenarioId = s.id;
    this.#activeFaults.clear();
    this.#err.write(`▶ ${s.id}: ${s.title}\n`);
    this.#status.start(() => this.#statusText());
  }

  onPhase(_id: string, phase: string): void {
    this.#phase = phase;
    this.#progress(phase);
  }

  onEvent(e: HistoryEvent): void {
    const d = e.data as Record<string, unknown>;
    if (e.src === 'fault' && (e.type === 'fault.start' || e.type === 'fault.end')) {
      const label = `${d.id} ${d.kind}`;
      if (e.type === 'fault.start') this.#activeFaults.add(label);
      else this.#activeFaults.delete(label);
      this.#progress(`${e.type === 'fault.start' ? 'fault on ' : 'fault off'} ${d.id} ${d.kind}${d.link ? ` ${d.link}` : ''} ${e.instance ?? ''}`);
    } else if (e.src === 'target' && e.type === 'target.exit') {
      this.#progress(`${e.instance} exited (code ${d.code}, signal ${d.signal})`);
    } else if (e.src === 'harness' && e.type === 'scenario.ready') {
      this.#progress('target ready; scenario clock starts');
    }
  }

  onScenarioEnd(o: ScenarioOutcome): void {
    this.#status.stop();
    this.#err.write(`  ${MARK[o.verdict]} ${o.id} in ${(o.durationMs / 1000).toFixed(1)}s\n`);
    for (const c of o.checks) {
      this.#err.write(`    ${VALID(c.valid)}  ${c.name}  [${c.findings.join(', ')}]\n`);
      for (const v of c.violations.slice(0, 5)) this.#err.write(`      - t=${(v.t / 1000).toFixed(2)}s ${v.message} (evidence seq ${v.evidence.join(', ')})\n`);
      if (c.violations.length > 5) this.#err.write(`      … and ${c.violations.length - 5} more\n`);
      if (c.valid === 'unknown') for (const n of c.notes) this.#err.write(`      note: ${n.split('\n')[0]}\n`);
    }
    if (o.error) this.#err.write(`    error: ${o.error.split('\n').join('\n    ')}\n`);
  }

  onRunEnd(summary: RunSummary, runDir: string): void {
    const counts = { pass: 0, fail: 0, unknown: 0 };
    for (const s of summary.scenarios) counts[s.verdict]++;
    const rel = relative(this.#cwd, runDir) || '.';
    this.#out.write(
      [
        ...(summary.notApplicable ?? []).map((n) => `N/A ${n.id}: target ${summary.target} lacks ${n.missing.join(', ')}`),
        `${MARK[summary.verdict]}: ${counts.pass} passed, ${counts.fail} failed, ${counts.unknown} unknown${summary.notApplicable?.length ? `, ${summary.notApplicable.length} not applicable` : ''}${summary.interrupted ? ` (interrupted by ${summary.interrupted})` : ''}`,
        `report: ${rel}/  (${[summary.files.html, summary.files.markdown, summary.files.summary, summary.files.junit, summary.files.history].filter(Boolean).join(', ')})`,
        `rerun:  ${summary.rerun}`,
        '',
      ].join('\n'),
    );
  }
}
