import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface FileLockAgeParams {
  /** The lock file, relative to its folder. */
  file: string;
  ageMs: number;
  /** Where the file lives: the instance's STATE_DIR (default) or the folder the instances share (coordination "folder"). */
  in: 'state' | 'shared';
}

/**
 * Ages a lock file's mtime past a staleness window while its owner is alive (audit
 * 003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older, historical_data_store:
 * "removes .lock files older than 5 minutes without owner/process validation"): a second process
 * that judges staleness by mtime alone breaks a live lock. Records `fault file.aged` {file, mtime}.
 */
export const fileLockAge: FaultKind<FileLockAgeParams> = {
  name: 'file-lock-age',
  description: 'Set a lock file’s mtime ageMs into the past while its owner is alive (in STATE_DIR, or in the shared folder)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('file-lock-age', raw, ['file', 'ageMs', 'in']);
    const file = stateFileParam('file-lock-age', raw, 'file');
    const where = raw.in ?? 'state';
    if (where !== 'state' && where !== 'shared') throw new ConfigError('fault file-lock-age: in must be "state" or "shared"');
    return { file, ageMs: msParam('file-lock-age', raw, 'ageMs', { min: 1 }), in: where };
  },
  async inject(ctx, target, params) {
    const dir = params.in === 'shared' ? ctx.sharedDir() : ctx.target(target.instance).stateDir;
    const path = join(dir, params.file);
    const when = new Date(Date.now() - params.ageMs);
    utimesSync(path, when, when);
    ctx.recorder.record('fault', 'file.aged', { file: path, mtime: when.toISOString(), by: target.occurrence }, target.instance);
    return { heal: async () => {} };
  },
};
