/**
 * `faultline matrix --target <name> [--flaws a,b] [--reps N] [--seed N] [--runtime R] [--out DIR]`:
 * the mutation matrix. Each of the target's flaws (faultline.json "flaws") is switched on alone and
 * run through the scenarios covering its findings: the checks citing those findings must fail and
 * no other check may; then the flaw-free target runs every mapped scenario and must pass. Every
 * row is repeated (default 3 times, seeds seed..seed+N-1) and must give the same verdict each time.
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { allCheckers } from '../checkers/registry.ts';
import { ConfigError, EXIT } from '../core/errors.ts';
import { planMatrix } from '../matrix/plan.ts';
import { runMatrix } from '../matrix/run-matrix.ts';
import { matrixOk, rowResult } from '../matrix/table.ts';
import { loadScenarios } from '../runner/scenarios.ts';
import { effectiveCapabilities } from '../runtimes/capabilities.ts';
import { loadTarget, resolveOptions } from '../targets/manifest.ts';
import { parseSeed, parseTargetOpts } from './args.ts';
import { trapSignals } from './signals.ts';

export const MATRIX_HELP = `faultline matrix --target <name> [--flaws a,b] [--reps N] [--jobs N] [--seed N] [--runtime local|containers] [--out DIR]

The mutation matrix: proves each check catches the flaw it names and stays quiet on a correct bot.
For every flaw the target declares (the "flaws" section of its faultline.json), runs the scenarios
covering the flaw's findings with only that flaw on; the checks citing those findings must fail and
no other check may. Then runs every mapped scenario with no flaw: every check must be valid.
Each row is repeated --reps times (seeds seed, seed+1, ...) and must give the same verdict.

  -t, --target <name>         target with a "flaws" section (e.g. refbot)
  -o, --target-opt key=value  more target options (repeatable); the flaw option is set per row
      --flaws a,b             only these flaws (default: all)
      --reps N                repetitions per row (default 3)
  -j, --jobs N                runs at once (default 1; each run has its own Redis, Toxiproxy, venue)
  -s, --seed N                first seed (default 1)
      --runtime R             local (default) or containers
      --out DIR               where matrix.md, matrix.json and runs/ go (default reports/matrix/<time>)

Exit code: 0 when every flaw is detected in every repetition, with no false alarm and no flaky
verdict; 1 otherwise; 2 on bad input; 130/143 when interrupted (the partial matrix is written).
`;

export async function matrixCommand(projectRoot: string, argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        target: { type: 'string', short: 't' },
        'target-opt': { type: 'string', short: 'o', multiple: true },
        flaws: { type: 'string' },
        reps: { type: 'string', default: '3' },
        jobs: { type: 'string', short: 'j', default: '1' },
        seed: { type: 'string', short: 's', default: '1' },
        runtime: { type: 'string', default: 'local' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  }
  try {
    values = parse();
  } catch (err) {
    throw new ConfigError(`matrix: ${(err as Error).message}`, 'see `faultline help matrix`');
  }
  if (values.help) {
    process.stdout.write(MATRIX_HELP);
    return EXIT.ok;
  }
  if (!values.target) throw new ConfigError('matrix needs --target <name>', 'e.g. --target refbot');
  if (!/^[1-9]\d{0,2}$/.test(values.reps ?? '')) throw new ConfigError(`--reps must be a whole number from 1 to 999, got "${values.reps}"`);
  if (!/^[1-8]$/.test(values.jobs ?? '')) throw new ConfigError(`--jobs must be a whole number from 1 to 8, got "${values.jobs}"`);
  const runtime = values.runtime as string;
  if (runtime !== 'local' && runtime !== 'containers') throw new ConfigError(`--runtime must be local or containers, got "${runtime}"`);
  const { manifest, dir } = loadTarget(projectRoot, values.target);
  if (!manifest.flaws) throw new ConfigError(`target ${manifest.name} declares no flaws`, 'add a "flaws" section to its faultline.json');
  const given = parseTargetOpts(values['target-opt'] ?? []);
  if (manifest.flaws.option in given) throw new ConfigError(`--target-opt ${manifest.flaws.option} is set by the matrix itself, per row`);
  const target = { manifest, dir, ...resolveOptions(manifest, given) };
  const only = values.flaws
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of only ?? []) {
    if (!(f in manifest.flaws.list))
      throw new ConfigError(`target ${manifest.name} has no flaw "${f}"`, `its flaws: ${Object.keys(manifest.flaws.list).join(', ')}`);
  }
  const scenarios = await loadScenarios(projectRoot);
  const plan = planMatrix({
    flaws: manifest.flaws,
    scenarios: [...scenarios.values()],
    checks: allCheckers(),
    capabilities: effectiveCapabilities(manifest.capabilities, runtime),
    ...(only ? { only } : {}),
  });
  const reps = Number(values.reps);
  const baseSeed = parseSeed(values.seed ?? '1');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = values.out ? resolve(values.out) : join(projectRoot, 'reports', 'matrix', stamp);
  const cells = plan.flaws.filter((f) => !f.problem).length * reps + (plan.hardenedScenarios.length ? reps : 0);
  process.stderr.write(`faultline matrix: target ${manifest.name}, ${plan.flaws.length} flaw(s), ${reps} repetition(s), ${cells} run(s), runtime ${runtime}\n`);
  for (const f of plan.flaws.filter((p) => p.problem)) process.stderr.write(`  ! ${f.flaw}: ${f.problem}\n`);

  const controller = new AbortController();
  const untrap = trapSignals(controller);
  try {
    const m = await runMatrix({
      projectRoot,
      outDir,
      plan,
      scenarios,
      target,
      givenTargetOptions: given,
      reps,
      jobs: Number(values.jobs),
      baseSeed,
      runtime,
      signal: controller.signal,
      progress: (line) => process.stderr.write(`  ${line}\n`),
    });
    const t = m.totals;
    for (const r of [...m.rows, m.hardened]) process.stdout.write(`${rowResult(r).padEnd(12)} ${r.flaw}\n`);
    process.stdout.write(
      `detection ${t.detected}/${t.flaws} · false alarms ${t.falseAlarms} · flaky ${t.flaky} · hardened ${rowResult(m.hardened)}\n` +
        `matrix: ${relative(process.cwd(), outDir) || '.'}/matrix.md (matrix.json, runs/)\n`,
    );
    if (m.interrupted) return m.interrupted === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    return matrixOk(m) ? EXIT.ok : EXIT.violated;
  } finally {
    untrap();
  }
}
