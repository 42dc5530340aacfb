import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface KillSwitchFileParams {
  /** The bot's operator kill file, relative to its STATE_DIR (refbot: refbot.kill). */
  file: string;
  /** How long the file stays; it is removed at heal (the operator lifts the halt). */
  durationMs: number;
  /** What the file says (an operator's note); default "faultline kill switch". */
  content: string;
}

/**
 * The operator pulls the kill switch: writes a kill file into the instance's STATE_DIR and removes
 * it after durationMs. Records `fault kill-file.written` (path) once the file exists and
 * `fault kill-file.removed` at heal. From the write on, the bot must open no new risk on any order
 * path, and it may resume only by its own rule (its resume probe) once the file is gone
 * (check halt-gates-all-orders). The file survives a restart of the instance (same STATE_DIR).
 */
export const killSwitchFile: FaultKind<KillSwitchFileParams> = {
  name: 'kill-switch-file',
  description: 'Write an operator kill file into the bot’s STATE_DIR for durationMs, then remove it',
  links: [],
  parse(raw) {
    onlyKeys('kill-switch-file', raw, ['file', 'durationMs', 'content']);
    const content = raw.content ?? 'faultline kill switch';
    if (typeof content !== 'string') throw new ConfigError('fault kill-switch-file: content must be a string');
    return { file: stateFileParam('kill-switch-file', raw, 'file'), durationMs: msParam('kill-switch-file', raw, 'durationMs', { min: 1 }), content };
  },
  async inject(ctx, target, params) {
    const path = join(ctx.target(target.instance).stateDir, params.file);
    writeFileSync(path, `${params.content}\n`);
    ctx.recorder.record('fault', 'kill-file.written', { id: target.occurrence, file: path }, target.instance);
    let healed = false;
    return {
      heal: async () => {
        if (healed) return;
        healed = true;
        rmSync(path, { force: true });
        ctx.recorder.record('fault', 'kill-file.removed', { id: target.occurrence, file: path }, target.instance);
      },
    };
  },
};
