import { renameSync, writeFileSync } from 'node:fs';
import type { RunSummary } from './summary.ts';

/** Writes atomically (temp file + rename) so a reader never sees half a summary. */
export function writeJsonReport(path: string, summary: RunSummary): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
