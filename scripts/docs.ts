/** `npm run docs`: regenerates docs/reference.md from the registries (checks, scenarios, faults, flaws). */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REFERENCE_FILE, renderReference } from '../harness/report/reference.ts';

const root = resolve(import.meta.dirname, '..');
writeFileSync(join(root, REFERENCE_FILE), await renderReference(root));
process.stdout.write(`wrote ${REFERENCE_FILE}\n`);
