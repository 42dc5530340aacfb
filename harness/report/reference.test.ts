import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_FILE, renderReference } from './reference.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('docs/reference.md', () => {
  it('is what the registries say (run `npm run docs` after adding a check, scenario, fault or flaw)', async () => {
    const expected = await renderReference(ROOT);
    expect(readFileSync(join(ROOT, REFERENCE_FILE), 'utf8')).toBe(expected);
    expect(expected).toContain('| `no-risk-on-stale-market-data` | `000_2ae31cbfe79758d1.txt#S-C2` |');
  });
});
