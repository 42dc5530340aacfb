import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, describeError, EXIT } from '../core/errors.ts';
import { ConsoleReporter } from '../report/console.ts';
import { run } from '../runner/run.ts';
import { newSeed } from '../runner/run-id.ts';
import { loadScenarios, selectScenarios } from '../runner/scenarios.ts';
import { effectiveCapabilities } from '../runtimes/capabilities.ts';
import { loadTarget, resolveOptions } from '../targets/manifest.ts';
import { type Args, parseCliArgs, type RunArgs } from './args.ts';
import { findingsCommand } from './findings-command.ts';
import { HELP, USAGE } from './help.ts';
import { listCommand } from './list.ts';
import { matrixCommand } from './matrix-command.ts';
import { reportCommand } from './report-command.ts';
import { reproCommand } from './repro-command.ts';
import { trapSignals } from './signals.ts';
import { venueCommand } from './venue-command.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function runCommand(a: RunArgs): Promise<number> {
  const all = await loadScenarios(PROJECT_ROOT);
  const selected = selectScenarios(all, a.scenarios);
  const { manifest, dir } = loadTarget(PROJECT_ROOT, a.target);
  const resolved = { manifest, dir, ...resolveOptions(manifest, a.targetOpts) };
  // Scenarios the target cannot take part in (on this runtime) are reported as not applicable (never as pass).
  const capabilities = effectiveCapabilities(manifest.capabilities, a.runtime);
  const missingOf = (s: (typeof selected)[number]) => s.requires.filter((c) => !capabilities.includes(c));
  const scenarios = selected.filter((s) => missingOf(s).length === 0);
  const notApplicable = selected.filter((s) => missingOf(s).length > 0).map((scenario) => ({ scenario, missing: missingOf(scenario) }));
  if (scenarios.length === 0) {
    throw new ConfigError(
      `target ${manifest.name} cannot take part in ${selected.length === 1 ? `scenario ${selected[0]?.id}` : 'any selected scenario'}: ${notApplicable.map((n) => `${n.scenario.id} needs ${n.missing.join(', ')}`).join('; ')}`,
      `its capabilities on the ${a.runtime} runtime: ${capabilities.join(', ') || 'none'}`,
    );
  }
  const controller = new AbortController();
  const untrap = trapSignals(controller);
  try {
    const { summary } = await run({
      projectRoot: PROJECT_ROOT,
      reportsDir: a.reportsDir ? resolve(a.reportsDir) : join(PROJECT_ROOT, 'reports'),
      scenarios,
      notApplicable,
      target: resolved,
      givenTargetOptions: a.targetOpts,
      seed: a.seed ?? newSeed(),
      runtime: a.runtime,
      signal: controller.signal,
      reporters: [new ConsoleReporter()],
    });
    return summary.exitCode;
  } finally {
    untrap();
  }
}

async function dispatch(args: Args): Promise<number> {
  switch (args.command) {
    case 'help':
      process.stdout.write(args.topic && HELP[args.topic] ? (HELP[args.topic] as string) : USAGE);
      return EXIT.ok;
    case 'version':
      process.stdout.write(`faultline ${version()}\n`);
      return EXIT.ok;
    case 'list':
      return listCommand(PROJECT_ROOT, args.json);
    case 'report':
      return reportCommand(args.argv);
    case 'venue':
      return venueCommand(args.argv);
    case 'findings':
      return findingsCommand(args.argv);
    case 'matrix':
      return matrixCommand(PROJECT_ROOT, args.argv);
    case 'repro':
      return reproCommand(PROJECT_ROOT, args.argv);
    case 'run':
      return runCommand(args);
  }
}

/** Returns the exit code; never throws. Usage errors print a one-line message, not a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(parseCliArgs(argv));
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n`);
    return err instanceof ConfigError ? EXIT.usage : EXIT.inconclusive;
  }
}
