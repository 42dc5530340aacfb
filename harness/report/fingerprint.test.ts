import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetFingerprint } from './fingerprint.ts';

describe('targetFingerprint', () => {
  it('hashes the git-tracked files of a target folder, stably', () => {
    const dir = resolve(import.meta.dirname, '..', '..', 'targets', 'refbot');
    const a = targetFingerprint(dir);
    expect(a?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(a?.files).toBeGreaterThan(1);
    expect(targetFingerprint(dir)).toEqual(a);
  });

  it('is absent outside a git work tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fp-'));
    try {
      expect(targetFingerprint(dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
