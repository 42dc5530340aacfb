/**
 * `npm run bench`: runs every scripts/bench/*-bench.ts in turn (each prints its own table of
 * figures as ratios against a baseline measured in the same run) and exits non-zero if one fails.
 * Benchmarks are measurements, not tests: nothing here asserts a timing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('-bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no benchmarks matched ${only.join(' ') || '(any)'} in ${dir}\n`);
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n## ${f}\n`);
  const r = spawnSync(process.execPath, [join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
