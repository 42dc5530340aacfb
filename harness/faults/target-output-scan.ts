import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { targetCredentials } from './account-order.ts';
import { msParam, onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface TargetOutputScanParams {
  /** Also record the output lines matching this regular expression (case-insensitive) as `fault output.line`. */
  grep?: string;
  /** At most this many matching lines are recorded (default 200). */
  maxLines: number;
  /**
   * Scan only what the bot writes from inject until durationMs later (a window around another
   * fault); without it the scan covers all output up to the end of the trading window.
   */
  durationMs?: number;
  /**
   * Files in the instance's STATE_DIR to scan as well (the bot's own log files, e.g. an operator
   * log), recorded as `state/<name>`; a file that does not exist is skipped.
   */
  stateFiles?: string[];
}

/** One place a secret appears in the target's output. */
export interface SecretHit {
  /** stdout.log, stderr.log or state/<name> */
  file: string;
  /** 1-based line number. */
  line: number;
  /** Which secret: api-key, api-secret. */
  secret: string;
  /** The line, first EXCERPT_CHARS characters, every secret replaced by <redacted:name>. */
  excerpt: string;
}

/** `fault output.scan`: what the scan read and found, recorded at heal (the end of the trading window). */
export interface OutputScanData {
  id: string;
  /** Per file: bytes and lines scanned; with a window, fromLine is the first line it covers (1-based). */
  files: { file: string; bytes: number; lines: number; fromLine?: number }[];
  /** The scan covered only output written in this window (ms from its inject), not all output. */
  windowMs?: number;
  /** Names of the secrets searched for (their values are never recorded). */
  secretsKnown: string[];
  hits: SecretHit[];
  /** The target was still running at the scan (the usual case): later output is not covered. */
  running: boolean;
  /** The grep of the scan (its matches are the `fault output.line` events) and how many lines matched in all. */
  grep?: string;
  matched: number;
  /** At most this many matches were recorded: more matched than were recorded when matched > maxLines. */
  maxLines: number;
}

/** `fault output.line`: one output line matching `grep`, secrets redacted. */
export interface OutputLineData {
  id: string;
  file: string;
  line: number;
  text: string;
}

const FILES = ['stdout.log', 'stderr.log'];
const EXCERPT_CHARS = 300;
const MIN_SECRET_CHARS = 6;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

function redact(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const [k, v] of Object.entries(secrets)) out = out.split(v).join(`<redacted:${k}>`);
  return out;
}

/**
 * Reads everything the instance wrote to its stdout and stderr (the runtime's captured
 * stdout.log / stderr.log), and to the STATE_DIR files named in stateFiles (its own log files), up
 * to the end of the trading window: without durationMs the fault stays
 * in effect for the whole window and scans at heal (window end, before the target is stopped, so
 * shutdown output is not covered). With durationMs it scans only what was written from its inject
 * until durationMs later (failures-logged: did the bot log a failure while it lasted). The secrets searched for are
 * the account credentials the bot was given (VENUE_API_KEY, VENUE_API_SECRET), read from the
 * process at inject. Records `fault output.scan` (OutputScanData: files, sizes, every line that
 * contains a secret, redacted) and, with `grep`, each matching line as `fault output.line`
 * (redacted). Checks: no-secret-leak (hits), control-api-hardened (logged 4xx/5xx lines).
 * Fails (fault.error) when the credentials cannot be read or the runtime keeps no output folder.
 */
export const targetOutputScan: FaultKind<TargetOutputScanParams> = {
  name: 'target-output-scan',
  description: 'At the end of the window, scan the bot’s captured stdout/stderr for its credentials and record matching lines',
  links: [],
  parse(raw) {
    onlyKeys('target-output-scan', raw, ['grep', 'maxLines', 'durationMs', 'stateFiles']);
    const stateFiles = raw.stateFiles;
    if (stateFiles !== undefined && (!Array.isArray(stateFiles) || stateFiles.length === 0))
      throw new ConfigError('fault target-output-scan: stateFiles must be a non-empty list of files in STATE_DIR');
    const grep = raw.grep;
    if (grep !== undefined) {
      if (typeof grep !== 'string' || grep === '') throw new ConfigError('fault target-output-scan: grep must be a non-empty regular expression');
      try {
        new RegExp(grep, 'i');
      } catch (err) {
        throw new ConfigError(`fault target-output-scan: grep is not a valid regular expression: ${(err as Error).message}`);
      }
    }
    const maxLines = raw.maxLines ?? 200;
    if (typeof maxLines !== 'number' || !Number.isInteger(maxLines) || maxLines < 1 || maxLines > 10_000)
      throw new ConfigError('fault target-output-scan: maxLines must be an integer 1..10000');
    return {
      ...(typeof grep === 'string' ? { grep } : {}),
      maxLines,
      ...(raw.durationMs !== undefined ? { durationMs: msParam('target-output-scan', raw, 'durationMs', { min: 1 }) } : {}),
      ...(Array.isArray(stateFiles)
        ? { stateFiles: stateFiles.map((_, i) => stateFileParam('target-output-scan', stateFiles as unknown as Record<string, unknown>, String(i))) }
        : {}),
    };
  },
  async inject(ctx, target, params) {
    const control = ctx.target(target.instance);
    const logDir = control.logDir;
    if (logDir === undefined) throw new Error(`target-output-scan: the runtime keeps no output folder for ${target.instance}`);
    const creds = targetCredentials(control.pid);
    if (!creds) throw new Error(`target-output-scan: cannot read the credentials of ${target.instance} (pid ${control.pid})`);
    const secrets: Record<string, string> = {};
    if (creds.apiKey.length >= MIN_SECRET_CHARS) secrets['api-key'] = creds.apiKey;
    if (creds.apiSecret.length >= MIN_SECRET_CHARS) secrets['api-secret'] = creds.apiSecret;
    const grep = params.grep === undefined ? undefined : new RegExp(params.grep, 'i');
    // With a window, only what is written from now on is scanned.
    const sources = [
      ...FILES.map((file) => ({ file, path: join(logDir, file) })),
      ...(params.stateFiles ?? []).map((name) => ({ file: `state/${name}`, path: join(control.stateDir, name) })),
    ];
    const fromBytes = new Map<string, number>();
    if (params.durationMs !== undefined) for (const { file, path } of sources) fromBytes.set(file, sizeOf(path));
    let healed = false;
    return {
      heal: async () => {
        if (healed) return;
        healed = true;
        const data: OutputScanData = {
          id: target.occurrence,
          files: [],
          secretsKnown: Object.keys(secrets),
          hits: [],
          running: control.running,
          ...(params.grep !== undefined ? { grep: params.grep } : {}),
          matched: 0,
          maxLines: params.maxLines,
          ...(params.durationMs !== undefined ? { windowMs: params.durationMs } : {}),
        };
        let matched = 0;
        for (const { file, path } of sources) {
          let whole: Buffer;
          try {
            whole = readFileSync(path);
          } catch {
            continue;
          }
          const from = Math.min(fromBytes.get(file) ?? 0, whole.length);
          // Lines before the window keep their numbers: the window's first line is linesBefore + 1.
          const linesBefore = countNewlines(whole.subarray(0, from));
          const text = whole.subarray(from).toString('utf8');
          const lines = text.split('\n');
          if (lines[lines.length - 1] === '') lines.pop();
          data.files.push({ file, bytes: whole.length - from, lines: lines.length, ...(fromBytes.has(file) ? { fromLine: linesBefore + 1 } : {}) });
          lines.forEach((line, j) => {
            const i = linesBefore + j;
            for (const [name, value] of Object.entries(secrets))
              if (line.includes(value)) data.hits.push({ file, line: i + 1, secret: name, excerpt: redact(line, secrets).slice(0, EXCERPT_CHARS) });
            if (grep?.test(line) && ++matched <= params.maxLines) {
              const rec: OutputLineData = { id: target.occurrence, file, line: i + 1, text: redact(line, secrets).slice(0, EXCERPT_CHARS) };
              ctx.recorder.record('fault', 'output.line', rec as unknown as Record<string, unknown>, target.instance);
            }
          });
        }
        data.matched = matched;
        ctx.recorder.record('fault', 'output.scan', data as unknown as Record<string, unknown>, target.instance);
      },
    };
  },
};
