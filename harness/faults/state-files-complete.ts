import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface StateFilesCompleteParams {
  /** Files relative to the instance's STATE_DIR: `.json` must parse whole, `.jsonl` line by line. */
  files: string[];
}

export interface FileVerdict {
  file: string;
  exists: boolean;
  complete: boolean;
  /** What is wrong when not complete: the first line that does not parse, or a missing final newline. */
  problem?: string;
  bytes?: number;
}

/** `fault files.inspected`: whether the bot's JSON and JSON-lines files were whole when looked at. */
export interface FilesInspectedData extends Record<string, unknown> {
  files: FileVerdict[];
  ownerRunning: boolean;
  by: string;
}

const MAX_BYTES = 64 * 1024 * 1024;

/**
 * What one `fault files.inspected` event says, for checks: how many of the files existed, and those
 * of them that were not whole (a missing file proves nothing either way).
 */
export function inspectedFiles(data: unknown): { existing: number; torn: FileVerdict[] } {
  const files = (data as Partial<FilesInspectedData>).files ?? [];
  const existing = files.filter((f) => f.exists);
  return { existing: existing.length, torn: existing.filter((f) => !f.complete) };
}

/** Whether a JSON (whole document) or JSON-lines (one document per line, newline-terminated) text is whole. */
export function judgeText(file: string, text: string): { complete: boolean; problem?: string } {
  if (file.endsWith('.jsonl')) {
    if (text === '') return { complete: true };
    if (!text.endsWith('\n')) return { complete: false, problem: `the last line is not terminated (${JSON.stringify(text.slice(-40))})` };
    const lines = text.slice(0, -1).split('\n');
    for (let i = 0; i < lines.length; i++) {
      try {
        JSON.parse(lines[i] as string);
      } catch {
        return { complete: false, problem: `line ${i + 1} is not JSON (${JSON.stringify((lines[i] as string).slice(0, 40))})` };
      }
    }
    return { complete: true };
  }
  try {
    JSON.parse(text);
    return { complete: true };
  } catch (err) {
    return { complete: false, problem: `not a whole JSON document: ${(err as Error).message}` };
  }
}

/**
 * Not a fault but an inspection, scheduled like one (typically after a stop request): reads the
 * bot's JSON and JSON-lines files in STATE_DIR and records whether each was whole
 * (004_8a8a9a4995486b8f.txt#C-SERV-03: file handles never closed, so buffered writes are cut off
 * at exit and files end torn). A missing file is recorded as exists: false (it may never have been
 * written); the check decides what counts.
 */
export const stateFilesComplete: FaultKind<StateFilesCompleteParams> = {
  name: 'state-files-complete',
  description: 'Read the bot’s .json / .jsonl files in STATE_DIR and record whether each is whole (parses, lines terminated)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('state-files-complete', raw, ['files']);
    const files = raw.files;
    if (!Array.isArray(files) || files.length === 0) throw new ConfigError('fault state-files-complete: files must be a non-empty list of STATE_DIR files');
    return {
      files: files.map((f, i) => {
        const file = stateFileParam('state-files-complete', { file: f }, 'file');
        if (!file.endsWith('.json') && !file.endsWith('.jsonl')) throw new ConfigError(`fault state-files-complete: files[${i}] must end in .json or .jsonl`);
        return file;
      }),
    };
  },
  async inject(ctx, target, params) {
    const t = ctx.target(target.instance);
    const files: FileVerdict[] = params.files.map((file) => {
      const path = join(t.stateDir, file);
      if (!existsSync(path)) return { file, exists: false, complete: false };
      try {
        const buf = readFileSync(path);
        if (buf.length > MAX_BYTES) return { file, exists: true, complete: false, problem: `larger than ${MAX_BYTES} bytes: not inspected`, bytes: buf.length };
        return { file, exists: true, ...judgeText(file, buf.toString('utf8')), bytes: buf.length };
      } catch (err) {
        return { file, exists: true, complete: false, problem: `cannot be read: ${(err as Error).message}` };
      }
    });
    const data: FilesInspectedData = { files, ownerRunning: t.running, by: target.occurrence };
    ctx.recorder.record('fault', 'files.inspected', data, target.instance);
    return { heal: async () => {} };
  },
};
