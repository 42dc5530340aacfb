import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface InputFileOversizedParams {
  /** The input file the bot reads, relative to its STATE_DIR (refbot: refbot-decision.json). */
  file: string;
  /** Size of the file in MiB (1..256). */
  sizeMb: number;
  /** How long the file stays; it is removed at heal. */
  durationMs: number;
  /** json (default): one JSON object; lines: a log of ~100-byte text lines, as a log file grows. */
  format: 'json' | 'lines';
}

const CHUNK = 1024 * 1024;
const LOG_LINE = '2026-11-22 12:00:00,000 WARNING faultline.filler: an old line of the log, kept until someone reads it\n';

/** One CHUNK of whole log lines (padded with a last line of x's so every chunk ends in a newline). */
function logChunk(): Buffer {
  const n = Math.floor(CHUNK / LOG_LINE.length);
  const body = LOG_LINE.repeat(n);
  return Buffer.from(`${body}${'x'.repeat(CHUNK - body.length - 1)}\n`);
}

/**
 * An oversized input file appears where the bot reads one (audit 000_2ae31cbfe79758d1.txt#E-L3: a
 * decision file read whole without a size limit; 004_8a8a9a4995486b8f.txt#M-UI-01: a large log read
 * whole). The file is one valid JSON object, `{"note":"xxx…"}`, of sizeMb MiB, written in 1 MiB
 * chunks, so a bot that reads and parses it whole holds it (twice: text and parsed) in memory; with
 * format "lines" it is a log of ~100-byte lines instead, so a bot that reads and splits it whole
 * holds a million small strings. It is
 * removed at heal. Records `fault input-file.written` (file, bytes) once the file is complete and
 * `fault input-file.removed` at heal.
 */
export const inputFileOversized: FaultKind<InputFileOversizedParams> = {
  name: 'input-file-oversized',
  description: 'Write an oversized (sizeMb MiB) JSON input file into the bot’s STATE_DIR for durationMs, then remove it',
  links: [],
  parse(raw) {
    onlyKeys('input-file-oversized', raw, ['file', 'sizeMb', 'durationMs', 'format']);
    const format = raw.format ?? 'json';
    if (format !== 'json' && format !== 'lines') throw new ConfigError('fault input-file-oversized: format must be "json" or "lines"');
    const sizeMb = raw.sizeMb;
    if (typeof sizeMb !== 'number' || !Number.isInteger(sizeMb) || sizeMb < 1 || sizeMb > 256)
      throw new ConfigError(`fault input-file-oversized: sizeMb must be a whole number of MiB in [1, 256], got ${JSON.stringify(sizeMb)}`);
    return {
      file: stateFileParam('input-file-oversized', raw, 'file'),
      sizeMb,
      durationMs: msParam('input-file-oversized', raw, 'durationMs', { min: 1 }),
      format,
    };
  },
  async inject(ctx, target, p) {
    const path = join(ctx.target(target.instance).stateDir, p.file);
    const lines = p.format === 'lines';
    const head = Buffer.from(lines ? '' : '{"note":"');
    const tail = Buffer.from(lines ? '' : '"}\n');
    const total = p.sizeMb * CHUNK;
    // Written under a temporary name and renamed, so the bot never sees a half-written file.
    const tmp = `${path}.faultline-tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, head);
      let left = total - head.length - tail.length;
      const chunk = lines ? logChunk() : Buffer.alloc(CHUNK, 'x');
      while (left > 0) {
        const n = Math.min(left, CHUNK);
        writeSync(fd, chunk, 0, n);
        left -= n;
      }
      writeSync(fd, tail);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    ctx.recorder.record('fault', 'input-file.written', { id: target.occurrence, file: p.file, bytes: total }, target.instance);
    let healed = false;
    return {
      heal: async () => {
        if (healed) return;
        healed = true;
        rmSync(path, { force: true });
        ctx.recorder.record('fault', 'input-file.removed', { id: target.occurrence, file: p.file }, target.instance);
      },
    };
  },
};
