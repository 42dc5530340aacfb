import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * Ages a lock file's mtime past a staleness window while its owner is alive (audit
 * 003_a7371304fd1017c8.txt, historical_data_store): a second process that judges staleness by
 * mtime alone breaks a live lock.
 */
export const fileLockAge: FaultKind<{ file: string; ageMs: number }> = {
  name: 'file-lock-age',
  description: 'Set a lock file’s mtime ageMs into the past while its owner is alive',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('file-lock-age', raw, ['file', 'ageMs']);
    const file = stateFileParam('file-lock-age', raw, 'file');
    return { file, ageMs: msParam('file-lock-age', raw, 'ageMs', { min: 1 }) };
  },
  async inject(ctx, target, params) {
    const path = join(ctx.target(target.instance).stateDir, params.file);
    const when = new Date(Date.now() - params.ageMs);
    utimesSync(path, when, when);
    ctx.recorder.record('fault', 'file.aged', { file: path, mtime: when.toISOString(), by: target.occurrence }, target.instance);
    return { heal: async () => {} };
  },
};
