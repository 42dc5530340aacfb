import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TargetFingerprint {
  algorithm: 'sha256';
  /** Hex sha256 over (path, content) of every git-tracked file under the target folder, sorted by path. */
  value: string;
  files: number;
  /** How the file list was obtained; only git is used so build outputs (.venv, caches) never count. */
  method: 'git-ls-files';
}

/**
 * Fingerprints the target's code as it is on disk now (tracked files with uncommitted edits
 * included), so "same fingerprint" means "same code ran". Returns undefined outside a git work
 * tree: no fingerprint is better than one that hashes build artefacts and never repeats.
 */
export function targetFingerprint(dir: string): TargetFingerprint | undefined {
  let listing: string;
  try {
    listing = execFileSync('git', ['ls-files', '-z', '--cached', '--', '.'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const files = listing.split('\0').filter((f) => f !== '');
  if (files.length === 0) return undefined;
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f).update('\0');
    try {
      h.update(readFileSync(join(dir, f)));
    } catch {
      // Tracked but deleted in the work tree: that is a code change too.
      h.update('\u0000<deleted>');
    }
    h.update('\0');
  }
  return { algorithm: 'sha256', value: h.digest('hex'), files: files.length, method: 'git-ls-files' };
}
