/**
 * Loads catalog/findings.json and validates it. Every problem is collected and reported at once
 * as one ConfigError (exit 2), so a broken catalog never half-loads.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.ts';
import { faultKinds } from '../faults/registry.ts';
import { isSlugId, slugify } from './slug.ts';
import { type Catalog, type Finding, INPUT_PREFIX, REQUIRED_FAMILIES, SEVERITIES } from './types.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CATALOG_FILE = join('catalog', 'findings.json');

const AUDIT_FILE = /^\d{3}_[0-9a-f]{16}\.txt$/;
/** Same shape harness/core/scenario.ts accepts for a scenario's findings. */
const FINDING_ID = /^(\d{3}_[0-9a-f]{16}\.txt)#([A-Za-z0-9][A-Za-z0-9._-]*)$/;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

/** Validates a parsed catalog. `knownFaults` are the registered fault kind names. */
export function parseCatalog(raw: unknown, knownFaults: readonly string[], source = CATALOG_FILE): Catalog {
  const problems: string[] = [];
  const bad = (msg: string) => problems.push(msg);
  if (!isObj(raw)) throw new ConfigError(`${source}: not a JSON object`);
  if (raw.version !== 1) bad(`version must be 1, got ${JSON.stringify(raw.version)}`);
  if (!isStr(raw.slugRule)) bad('slugRule must be a non-empty string');

  const audits = new Set<string>();
  if (!Array.isArray(raw.audits) || raw.audits.length === 0) bad('audits must be a non-empty list');
  for (const [i, a] of (Array.isArray(raw.audits) ? raw.audits : []).entries()) {
    if (!isObj(a) || !isStr(a.file) || !AUDIT_FILE.test(a.file)) {
      bad(`audits[${i}]: file must look like 000_<16 hex>.txt`);
      continue;
    }
    if (audits.has(a.file)) bad(`audits[${i}]: ${a.file} listed twice`);
    audits.add(a.file);
    if (!isStr(a.title)) bad(`audits[${i}] (${a.file}): title missing`);
    if (!isStr(a.idScheme)) bad(`audits[${i}] (${a.file}): idScheme missing`);
    if (typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256)) bad(`audits[${i}] (${a.file}): sha256 must be 64 hex digits`);
  }

  const families = new Set<string>();
  for (const [i, f] of (Array.isArray(raw.families) ? raw.families : []).entries()) {
    if (!isObj(f) || !isStr(f.id) || !KEBAB.test(f.id) || !isStr(f.title) || !isStr(f.description)) {
      bad(`families[${i}]: needs a kebab-case id, a title and a description`);
      continue;
    }
    if (families.has(f.id)) bad(`families[${i}]: ${f.id} defined twice`);
    families.add(f.id);
  }
  for (const req of REQUIRED_FAMILIES) if (!families.has(req)) bad(`families: required family ${req} is missing`);

  const inputs = new Set<string>();
  for (const [i, x] of (Array.isArray(raw.inputs) ? raw.inputs : []).entries()) {
    if (!isObj(x) || !isStr(x.id) || !KEBAB.test(x.id) || !isStr(x.description)) {
      bad(`inputs[${i}]: needs a kebab-case id and a description`);
      continue;
    }
    if (inputs.has(x.id)) bad(`inputs[${i}]: ${x.id} defined twice`);
    inputs.add(x.id);
  }

  const faults = new Set(knownFaults);
  const ids = new Set<string>();
  const labels = new Map<string, string>(); // `${audit}#${id or alias}` -> owner id
  const perAudit = new Map<string, number>();
  const findings = Array.isArray(raw.findings) ? raw.findings : [];
  if (!Array.isArray(raw.findings)) bad('findings must be a list');
  for (const [i, f] of findings.entries()) {
    const at = isObj(f) && typeof f.id === 'string' ? f.id : `findings[${i}]`;
    if (!isObj(f)) {
      bad(`${at}: not an object`);
      continue;
    }
    const m = typeof f.id === 'string' ? FINDING_ID.exec(f.id) : null;
    if (!m) {
      bad(`${at}: id must be "<audit file>#<finding id>"`);
      continue;
    }
    const [, audit = '', local = ''] = m;
    if (ids.has(f.id as string)) bad(`${at}: id is not unique`);
    ids.add(f.id as string);
    if (f.audit !== audit) bad(`${at}: audit must be ${audit}, the file named in its id`);
    if (!audits.has(audit)) bad(`${at}: audit ${audit} is not listed in audits`);
    perAudit.set(audit, (perAudit.get(audit) ?? 0) + 1);
    for (const label of [local, ...(isStrList(f.aliases) ? f.aliases : [])]) {
      const key = `${audit}#${label}`;
      const owner = labels.get(key);
      if (owner !== undefined) bad(`${at}: label ${label} is already used by ${owner}`);
      labels.set(key, f.id as string);
    }
    for (const k of ['title', 'severityText', 'summary', 'reason'] as const) if (!isStr(f[k])) bad(`${at}: ${k} must be a non-empty string`);
    if (!SEVERITIES.includes(f.severity as never)) bad(`${at}: severity must be one of ${SEVERITIES.join(', ')}`);
    for (const k of ['category', 'file'] as const) if (f[k] !== null && !isStr(f[k])) bad(`${at}: ${k} must be a string or null`);
    if (!Array.isArray(f.acceptance) || !f.acceptance.every(isStr)) bad(`${at}: acceptance must be a list of strings`);
    if (!isStrList(f.anchors) || f.anchors.length === 0) bad(`${at}: anchors must be a non-empty list of verbatim audit snippets`);
    else if (isSlugId(local) && slugify(f.anchors[0] ?? '') !== local) bad(`${at}: slug must be ${slugify(f.anchors[0] ?? '')} (the slug of anchors[0])`);
    if (f.aliases !== undefined && (!isStrList(f.aliases) || f.aliases.length === 0)) bad(`${at}: aliases, when present, must be a non-empty list`);
    if (f.related !== undefined && !isStrList(f.related)) bad(`${at}: related must be a list of finding ids`);
    if (f.auditStatus !== undefined && !isStr(f.auditStatus)) bad(`${at}: auditStatus must be a non-empty string`);
    if (typeof f.testable !== 'boolean') {
      bad(`${at}: testable must be true or false`);
      continue;
    }
    if (f.testable) {
      if (!isStr(f.family) || !families.has(f.family))
        bad(`${at}: a testable finding needs a family from the catalog's families (got ${JSON.stringify(f.family)})`);
      if (!isStrList(f.faults) || f.faults.length === 0) bad(`${at}: a testable finding needs faults (fault kinds or input:<name>)`);
      for (const k of isStrList(f.faults) ? f.faults : []) {
        if (k.startsWith(INPUT_PREFIX)) {
          if (!inputs.has(k.slice(INPUT_PREFIX.length))) bad(`${at}: ${k} is not defined in inputs`);
        } else if (!faults.has(k)) bad(`${at}: fault kind ${k} is not registered (harness/faults/registry.ts); use input:<name> for non-fault inputs`);
      }
    } else if (f.family !== undefined || f.faults !== undefined) bad(`${at}: a finding that is not testable has no family or faults`);
  }
  for (const [i, f] of findings.entries()) {
    if (!isObj(f) || !Array.isArray(f.related)) continue;
    for (const r of f.related) if (!ids.has(r as string)) bad(`${String(f.id ?? `findings[${i}]`)}: related ${String(r)} is not a catalog id`);
  }
  for (const a of audits) if (!perAudit.has(a)) bad(`audit ${a} has no findings`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join('\n  ');
    throw new ConfigError(
      `${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${shown}${problems.length > 20 ? '\n  …' : ''}`,
    );
  }
  return raw as unknown as Catalog;
}

/** Reads and validates the project's catalog against the registered fault kinds. */
export function loadCatalog(projectRoot: string = PROJECT_ROOT): Catalog {
  const path = join(projectRoot, CATALOG_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the finding catalog ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${CATALOG_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  return parseCatalog(
    raw,
    faultKinds().map((k) => k.name),
  );
}

/** Every label (id and aliases) a finding answers to, as `<audit>#<label>`. */
export function findingLabels(f: Finding): string[] {
  return [f.id, ...(f.aliases ?? []).map((a) => `${f.audit}#${a}`)];
}
