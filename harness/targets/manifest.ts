import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** targets/<name>/faultline.json: how to build, start, stop a bot, and what it can take part in. */
export interface TargetManifest {
  name: string;
  description: string;
  language?: string;
  build?: { command: string[]; timeoutMs?: number };
  start: { command: string[] };
  ready: { probe: string; timeoutMs: number };
  stop: { signal: NodeJS.Signals; graceMs: number };
  capabilities: string[];
  /**
   * The prefix of every clientOrderId the bot sends, with `{instance}` for the instance id (refbot:
   * "rb-{instance}-"). It lets a scenario leave orders "from an earlier process of the bot"
   * (fault predecessor-orders); declaring it gives the target capability `order-id-prefix`.
   */
  orderIdPrefix?: string;
  options: Record<string, TargetOption>;
  /** Flaws the target can switch on one at a time (for the mutation matrix and repro). */
  flaws?: FlawSet;
}

/**
 * A target's known flaws. `option` names the target option that takes a comma list of flaw names
 * (`none` turns them all off), so the matrix can run one flaw at a time: `--target-opt <option>=<flaw>`.
 */
export interface FlawSet {
  option: string;
  none: string;
  list: Record<string, FlawInfo>;
}

export interface FlawInfo {
  /** Audit findings (`<audit file>#<id>`) whose failure this flaw reproduces. */
  findings: string[];
  description: string;
  /**
   * Flaws the mutation matrix turns on together with this one: the ones that create the condition
   * under which it shows at all (a watchdog pinged from a timer thread only lies while the loop is
   * actually stalled). Empty or absent: the flaw runs alone.
   */
  with?: string[];
}

export interface TargetOption {
  env: string;
  default: string;
  values?: string[];
  description: string;
}

export interface ResolvedTarget {
  manifest: TargetManifest;
  dir: string;
  /** Every option with its effective value (defaults filled in). */
  options: Record<string, string>;
  /** Environment variables derived from the options. */
  env: Record<string, string>;
}

export const MANIFEST_FILE = 'faultline.json';

export function targetsRoot(projectRoot: string): string {
  return join(projectRoot, 'targets');
}

/** Resolves a target by name (a folder under targets/) or by path to a folder holding faultline.json. */
export function loadTarget(projectRoot: string, nameOrPath: string): { manifest: TargetManifest; dir: string } {
  const byName = join(targetsRoot(projectRoot), nameOrPath);
  const dir = existsSync(join(byName, MANIFEST_FILE)) ? byName : resolve(nameOrPath);
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new ConfigError(
      `unknown target "${nameOrPath}": no ${MANIFEST_FILE} in ${byName} or ${dir}`,
      'run `faultline list` to see the targets, or pass a folder that holds a faultline.json',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`target manifest ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return { manifest: validateManifest(raw, file), dir };
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function validateManifest(raw: unknown, file: string): TargetManifest {
  const fail = (msg: string): never => {
    throw new ConfigError(`target manifest ${file}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('must be a JSON object');
  const m = raw as Record<string, unknown>;
  if (typeof m.name !== 'string' || m.name === '') fail('"name" is required');
  const start = m.start as { command?: unknown } | undefined;
  if (!start || !isStringList(start.command) || start.command.length === 0) fail('"start.command" must be a non-empty list of strings');
  const build = m.build as { command?: unknown } | undefined;
  if (build !== undefined && (!isStringList(build.command) || build.command.length === 0)) fail('"build.command" must be a non-empty list of strings');
  const ready = (m.ready ?? {}) as { probe?: unknown; timeoutMs?: unknown };
  if (typeof ready.probe !== 'string') fail('"ready.probe" must name the stdout probe that signals readiness, e.g. "ready"');
  const stop = (m.stop ?? { signal: 'SIGTERM', graceMs: 5000 }) as { signal?: unknown; graceMs?: unknown };
  if (stop.signal !== 'SIGTERM' && stop.signal !== 'SIGINT') fail('"stop.signal" must be SIGTERM or SIGINT');
  if (!isStringList(m.capabilities ?? [])) fail('"capabilities" must be a list of strings');
  const options = (m.options ?? {}) as Record<string, unknown>;
  for (const [k, o] of Object.entries(options)) {
    const opt = o as Partial<TargetOption>;
    if (typeof opt.env !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(opt.env)) fail(`option "${k}" needs "env", an environment variable name`);
    if (typeof opt.default !== 'string') fail(`option "${k}" needs a string "default"`);
    if (opt.values !== undefined && !isStringList(opt.values)) fail(`option "${k}": "values" must be a list of strings`);
  }
  const flaws = m.flaws === undefined ? undefined : validateFlaws(m.flaws, options, fail);
  const prefix = m.orderIdPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || !/^[.A-Za-z0-9_:/{}-]{1,24}$/.test(prefix) || !prefix.includes('{instance}')))
    fail('"orderIdPrefix" must be a clientOrderId prefix (letters, digits, . _ : / -, at most 24 characters) containing {instance}, e.g. "rb-{instance}-"');
  const capabilities = (m.capabilities as string[] | undefined) ?? [];
  return {
    name: m.name as string,
    description: typeof m.description === 'string' ? m.description : '',
    ...(typeof m.language === 'string' ? { language: m.language } : {}),
    ...(build ? { build: build as TargetManifest['build'] & object } : {}),
    start: start as TargetManifest['start'],
    ready: { probe: ready.probe as string, timeoutMs: typeof ready.timeoutMs === 'number' ? ready.timeoutMs : 20_000 },
    stop: { signal: stop.signal as NodeJS.Signals, graceMs: typeof stop.graceMs === 'number' ? stop.graceMs : 5000 },
    capabilities: prefix !== undefined && !capabilities.includes('order-id-prefix') ? [...capabilities, 'order-id-prefix'] : capabilities,
    ...(typeof prefix === 'string' ? { orderIdPrefix: prefix } : {}),
    options: options as Record<string, TargetOption>,
    ...(flaws ? { flaws } : {}),
  };
}

const FLAW_NAME = /^[a-z0-9][a-z0-9-]*$/;
const FINDING_ID = /^[^#\s]+\.txt#[^\s]+$/;

function validateFlaws(raw: unknown, options: Record<string, unknown>, fail: (msg: string) => never): FlawSet {
  if (typeof raw !== 'object' || raw === null) return fail('"flaws" must be an object {option, none, list}');
  const f = raw as Record<string, unknown>;
  if (typeof f.option !== 'string' || !(f.option in options)) fail('"flaws.option" must name one of the target\'s options');
  if (typeof f.none !== 'string' || f.none === '') fail('"flaws.none" must be the value that turns every flaw off, e.g. "none"');
  if (typeof f.list !== 'object' || f.list === null) fail('"flaws.list" must map flaw names to {findings, description}');
  for (const [name, info] of Object.entries(f.list as Record<string, unknown>)) {
    if (!FLAW_NAME.test(name)) fail(`flaw "${name}": names are lower-case words joined by "-"`);
    const i = info as Partial<FlawInfo> | null;
    if (!i || !isStringList(i.findings) || i.findings.length === 0) fail(`flaw "${name}" needs "findings", a non-empty list of finding ids`);
    for (const id of (i as FlawInfo).findings) if (!FINDING_ID.test(id)) fail(`flaw "${name}": "${id}" is not a finding id (<audit file>#<id>)`);
    if (typeof i?.description !== 'string' || i.description === '') fail(`flaw "${name}" needs a "description"`);
    if (i?.with !== undefined) {
      if (!isStringList(i.with)) fail(`flaw "${name}": "with" must be a list of other flaw names`);
      for (const w of i.with as string[])
        if (w === name || !(w in (f.list as Record<string, unknown>))) fail(`flaw "${name}": "with" names "${w}", which is not another flaw of this target`);
    }
  }
  return f as unknown as FlawSet;
}

/** Applies `--target-opt key=value` pairs to the manifest's options; unknown keys and values are errors. */
export function resolveOptions(manifest: TargetManifest, given: Record<string, string>): Pick<ResolvedTarget, 'options' | 'env'> {
  const known = Object.keys(manifest.options);
  for (const k of Object.keys(given)) {
    if (!(k in manifest.options)) {
      throw new ConfigError(`target ${manifest.name} has no option "${k}"`, known.length ? `its options are: ${known.join(', ')}` : 'it takes no options');
    }
  }
  const options: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const [k, opt] of Object.entries(manifest.options)) {
    const v = given[k] ?? opt.default;
    if (opt.values && !opt.values.includes(v)) {
      throw new ConfigError(`target ${manifest.name}: option ${k}=${v} is not one of ${opt.values.join(', ')}`);
    }
    options[k] = v;
    env[opt.env] = v;
  }
  return { options, env };
}
