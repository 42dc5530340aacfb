import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export type CorruptMode = 'truncate' | 'empty' | 'garbage';

export interface StateFileCorruptParams {
  /** File inside the instance's STATE_DIR. */
  file: string;
  /**
   * truncate: keep the first half of the bytes (a write torn by a crash, as an in-place rewrite
   * killed mid-way leaves it); empty: zero bytes (killed between truncate and write); garbage:
   * the bytes replaced by a fixed non-UTF-8 pattern of the same length (bad sectors, a foreign write).
   */
  mode: CorruptMode;
}

const MODES: readonly CorruptMode[] = ['truncate', 'empty', 'garbage'];

export function corruptBytes(before: Buffer, mode: CorruptMode): Buffer {
  if (mode === 'empty') return Buffer.alloc(0);
  if (mode === 'truncate') return before.subarray(0, Math.floor(before.length / 2));
  return Buffer.from(Array.from({ length: Math.max(1, before.length) }, (_, i) => (i % 2 === 0 ? 0xff : 0xfe)));
}

/**
 * Corrupts a state file of the bot in place (audit 004_8a8a9a4995486b8f.txt#C-FSM-03: a restart
 * with a corrupted state file). Fired between a `process-kill` and its restart, it leaves what a
 * non-atomic write killed mid-way leaves. Records `fault file.corrupted` with the sizes before and
 * after and whether the owner was running. Fails (fault.error) when the file does not exist: the
 * fault would not take effect.
 */
export const stateFileCorrupt: FaultKind<StateFileCorruptParams> = {
  name: 'state-file-corrupt',
  description: 'Corrupt a file in the bot’s STATE_DIR (truncate to half, empty, or garbage), e.g. between a kill and its restart',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('state-file-corrupt', raw, ['file', 'mode']);
    const file = stateFileParam('state-file-corrupt', raw, 'file');
    const mode = raw.mode ?? 'truncate';
    if (!MODES.includes(mode as CorruptMode))
      throw new ConfigError(`fault state-file-corrupt: mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
    return { file, mode: mode as CorruptMode };
  },
  async inject(ctx, target, params) {
    const t = ctx.target(target.instance);
    const path = join(t.stateDir, params.file);
    const before = readFileSync(path);
    const after = corruptBytes(before, params.mode);
    writeFileSync(path, after);
    ctx.recorder.record(
      'fault',
      'file.corrupted',
      { file: params.file, mode: params.mode, bytesBefore: before.length, bytesAfter: after.length, ownerRunning: t.running, by: target.occurrence },
      target.instance,
    );
    return { heal: async () => {} };
  },
};
