import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.ts';

export interface RunArgs {
  command: 'run';
  scenarios: string[];
  target: string;
  targetOpts: Record<string, string>;
  seed: number | undefined;
  runtime: 'local' | 'containers';
  reportsDir: string | undefined;
}

export type Args =
  | RunArgs
  | { command: 'list'; json: boolean }
  | { command: 'report'; argv: string[] }
  | { command: 'venue'; argv: string[] }
  | { command: 'findings'; argv: string[] }
  | { command: 'matrix'; argv: string[] }
  | { command: 'repro'; argv: string[] }
  | { command: 'help'; topic?: string }
  | { command: 'version' };

const RUNTIMES = ['local', 'containers'] as const;

export function parseSeed(s: string): number {
  if (!/^\d+$/.test(s)) throw new ConfigError(`--seed must be a whole number, got "${s}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffff_ffff) throw new ConfigError(`--seed must be between 0 and 4294967295, got ${s}`);
  return n;
}

export function parseTargetOpts(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--target-opt takes key=value, got "${p}"`);
    const key = p.slice(0, eq);
    if (key in out) throw new ConfigError(`--target-opt ${key} given twice`);
    out[key] = p.slice(eq + 1);
  }
  return out;
}

/** Parses argv (without node and script). Throws ConfigError with a usage hint on bad input. */
export function parseCliArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return rest[0] ? { command: 'help', topic: rest[0] } : { command: 'help' };
  }
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  // Subcommands that own their flags parse them themselves.
  if (command === 'report' || command === 'venue' || command === 'findings' || command === 'matrix' || command === 'repro') return { command, argv: rest };
  try {
    if (command === 'list') {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } }, strict: true });
      if (values.help) return { command: 'help', topic: 'list' };
      return { command: 'list', json: values.json === true };
    }
    if (command === 'run') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        strict: true,
        options: {
          target: { type: 'string', short: 't' },
          suite: { type: 'string', multiple: true },
          'target-opt': { type: 'string', short: 'o', multiple: true },
          seed: { type: 'string', short: 's' },
          runtime: { type: 'string', default: 'local' },
          'reports-dir': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) return { command: 'help', topic: 'run' };
      const names = [...positionals, ...(values.suite ?? [])];
      if (names.length === 0) throw new ConfigError('run needs at least one scenario id or suite name (or --suite <name>)', 'see `faultline list`');
      if (!values.target) throw new ConfigError('run needs --target <name>', 'e.g. --target refbot; see `faultline list`');
      const runtime = values.runtime as string;
      if (!(RUNTIMES as readonly string[]).includes(runtime)) throw new ConfigError(`--runtime must be one of ${RUNTIMES.join(', ')}, got "${runtime}"`);
      return {
        command: 'run',
        scenarios: names,
        target: values.target,
        targetOpts: parseTargetOpts(values['target-opt'] ?? []),
        seed: values.seed === undefined ? undefined : parseSeed(values.seed),
        runtime: runtime as RunArgs['runtime'],
        reportsDir: values['reports-dir'],
      };
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // parseArgs' own errors (unknown flag, missing value) are usage errors too.
    throw new ConfigError(`${command}: ${(err as Error).message}`, `see \`faultline help ${command}\``);
  }
  throw new ConfigError(`unknown command "${command}"`, 'commands: run, repro, matrix, list, findings, report, venue, help; see `faultline help`');
}
