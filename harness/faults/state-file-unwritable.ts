import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface StateFileUnwritableParams {
  /** The file in the instance's STATE_DIR the bot appends to (an event log, an alert sink). */
  file: string;
  durationMs: number;
}

/** `fault file.unwritable` / `fault file.writable`: the file's path, and what it held when it was set aside. */
export interface FileUnwritableData {
  id: string;
  file: string;
  existed: boolean;
  bytes: number;
}

const ASIDE = '.faultline-aside';

/**
 * One of the bot's output files becomes unwritable mid-run, as on a full disk, a read-only
 * remount or a rotated-away directory: the file is moved aside and a directory takes its path, so
 * every open for writing fails (EISDIR), even for root, whom permission bits do not stop. At heal
 * the directory goes and the file comes back with everything it held; what the bot kept pending may
 * then be written. Records `fault file.unwritable` and `fault file.writable` (FileUnwritableData).
 * Check alerts-survive-sink-outage (000_2ae31cbfe79758d1.txt#E-L6).
 */
export const stateFileUnwritable: FaultKind<StateFileUnwritableParams> = {
  name: 'state-file-unwritable',
  description: 'Make a file in the bot’s STATE_DIR unwritable for durationMs (a directory takes its path), then restore it as it was',
  links: [],
  parse(raw) {
    onlyKeys('state-file-unwritable', raw, ['file', 'durationMs']);
    return { file: stateFileParam('state-file-unwritable', raw, 'file'), durationMs: msParam('state-file-unwritable', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target, params) {
    const path = join(ctx.target(target.instance).stateDir, params.file);
    const aside = `${path}${ASIDE}`;
    const existed = existsSync(path);
    if (existed && !statSync(path).isFile()) throw new Error(`state-file-unwritable: ${path} is not a regular file`);
    const bytes = existed ? statSync(path).size : 0;
    if (existed) renameSync(path, aside);
    mkdirSync(path);
    const data: FileUnwritableData = { id: target.occurrence, file: path, existed, bytes };
    ctx.recorder.record('fault', 'file.unwritable', data as unknown as Record<string, unknown>, target.instance);
    let healed = false;
    return {
      heal: async () => {
        if (healed) return;
        healed = true;
        rmSync(path, { recursive: true, force: true });
        if (existed) renameSync(aside, path);
        ctx.recorder.record('fault', 'file.writable', data as unknown as Record<string, unknown>, target.instance);
      },
    };
  },
};
