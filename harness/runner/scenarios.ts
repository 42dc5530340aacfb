import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checker } from '../checkers/registry.ts';
import { ConfigError } from '../core/errors.ts';
import { type Scenario, validateScenario } from '../core/scenario.ts';
import { faultKind, validateFaultSpecs } from '../faults/registry.ts';

/** Full validation of one scenario: structure, fault kinds and params, check names, timing. */
export function checkScenario(raw: unknown, source: string): Scenario {
  const s = validateScenario(raw, source);
  validateFaultSpecs(s.id, s.faults);
  for (const c of s.checks) checker(c.name);
  for (const [i, f] of s.faults.entries()) {
    if (f.at === undefined) continue;
    const latest = typeof f.at === 'number' ? f.at : f.at.maxMs;
    const dur = faultKind(f.kind).parse(f.params).durationMs ?? 0;
    if (latest + dur > s.durationMs)
      throw new ConfigError(`scenario ${s.id}: faults[${i}] may end at ${latest + dur} ms, after the scenario's durationMs ${s.durationMs}`);
  }
  return s;
}

/** Loads every scenarios/*.ts module (tests excluded); ids must be unique. */
export async function loadScenarios(projectRoot: string): Promise<Map<string, Scenario>> {
  const dir = join(projectRoot, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const out = new Map<string, Scenario>();
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default?: unknown };
    const s = checkScenario(mod.default, `scenarios/${f}`);
    if (out.has(s.id)) throw new ConfigError(`scenario id ${s.id} is defined twice (scenarios/${f})`);
    out.set(s.id, s);
  }
  return out;
}

/** Resolves ids and suite names ("smoke") to scenarios, in the order given. */
export function selectScenarios(all: Map<string, Scenario>, names: string[]): Scenario[] {
  const picked: Scenario[] = [];
  for (const name of names) {
    const byId = all.get(name);
    const bySuite = [...all.values()].filter((s) => s.suites.includes(name));
    const found = byId ? [byId] : bySuite;
    if (found.length === 0) {
      throw new ConfigError(`unknown scenario or suite "${name}"`, `run \`faultline list\` to see them (known: ${[...all.keys()].join(', ')})`);
    }
    for (const s of found) if (!picked.includes(s)) picked.push(s);
  }
  return picked;
}
