/**
 * A small JSON Schema validator for the keywords summary.schema.json uses (type, const, enum,
 * required, properties, additionalProperties, items, minItems, minimum, pattern, $ref to
 * #/$defs). Enough to hold real summaries to their documented schema in tests without a new
 * dependency; an unsupported keyword is an error, so the schema cannot silently outgrow it.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minItems',
  'minimum',
  'pattern',
]);

function typeOk(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      throw new Error(`unsupported type ${type}`);
  }
}

/** Returns the problems found (JSON-pointer-ish path: message); empty when valid. */
export function validateJson(value: unknown, root: Schema): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    const m = /^#\/\$defs\/(.+)$/.exec(ref);
    const target = m?.[1] ? (root.$defs as Record<string, Schema> | undefined)?.[m[1]] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };
  const walk = (v: unknown, s: Schema, path: string): void => {
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`unsupported schema keyword ${k} at ${path}`);
    if (typeof s.$ref === 'string') walk(v, resolve(s.$ref), path);
    if (typeof s.type === 'string' && !typeOk(v, s.type)) {
      errors.push(`${path}: expected ${s.type}, got ${JSON.stringify(v)}`);
      return;
    }
    if ('const' in s && v !== s.const) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.includes(v as never)) errors.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) errors.push(`${path}: ${v} < ${s.minimum}`);
    if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern).test(v)) errors.push(`${path}: does not match ${s.pattern}`);
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
      if (s.items && typeof s.items === 'object') for (const [i, x] of v.entries()) walk(x, s.items as Schema, `${path}/${i}`);
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
      const props = (s.properties as Record<string, Schema> | undefined) ?? {};
      for (const [k, x] of Object.entries(obj)) {
        const p = props[k];
        if (p) walk(x, p, `${path}/${k}`);
        else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
        else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) walk(x, s.additionalProperties as Schema, `${path}/${k}`);
      }
    }
  };
  walk(value, root, '');
  return errors;
}
