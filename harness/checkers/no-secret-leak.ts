import type { OutputScanData } from '../faults/target-output-scan.ts';
import type { HistoryEvent } from '../history/types.ts';
import { unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const DEBUG_URL_TOKEN = '001_0474a2fd1532b929.txt#M10';

/**
 * The bot never writes its credentials to its output: no line of its stdout/stderr contains the
 * API key or secret it was given, at any log level. 001_0474a2fd1532b929.txt#M10: the alerter's
 * DEBUG-logged URLs carried the Telegram bot token; run with debug logging, nothing secret may
 * appear. Judged from `fault output.scan` (fault target-output-scan): each line with a secret is a
 * violation (evidence: the scan, then the fault's start); the lines themselves are recorded
 * redacted.
 *
 * Unknown when no scan ran, the scan knew no secret to look for, or the bot had written nothing.
 */
export const noSecretLeak: Checker = {
  name: 'no-secret-leak',
  description: 'The bot’s stdout/stderr never contain its API key or secret, at any log level',
  findings: [DEBUG_URL_TOKEN],
  requires: [],
  check(history): CheckResult {
    const stats = { scans: 0, bytesScanned: 0, linesScanned: 0, secretsKnown: 0, leakedLines: 0 };
    const scans: { e: HistoryEvent; d: OutputScanData }[] = [];
    const starts = new Map<string, number>();
    for (const e of history) {
      if (e.src !== 'fault') continue;
      if (e.type === 'output.scan') scans.push({ e, d: e.data as unknown as OutputScanData });
      else if (e.type === 'fault.start' && (e.data as { kind?: unknown }).kind === 'target-output-scan')
        starts.set(String((e.data as { id?: unknown }).id), e.seq);
    }
    stats.scans = scans.length;
    if (scans.length === 0) return unknown('no output scan ran (fault target-output-scan): the bot’s output was not examined', stats);
    const violations: Violation[] = [];
    for (const { e, d } of scans) {
      stats.secretsKnown = Math.max(stats.secretsKnown, d.secretsKnown.length);
      for (const f of d.files) {
        stats.bytesScanned += f.bytes;
        stats.linesScanned += f.lines;
      }
      for (const hit of d.hits) {
        stats.leakedLines++;
        // 001_0474a2fd1532b929.txt#M10: a credential in the bot's (debug) output.
        const start = starts.get(d.id);
        violations.push({
          t: e.t,
          ...(e.instance !== undefined ? { instance: e.instance } : {}),
          message: `${e.instance ?? 'the bot'} wrote its ${hit.secret} to ${hit.file} line ${hit.line}: ${JSON.stringify(hit.excerpt.slice(0, 160))} [${DEBUG_URL_TOKEN}]`,
          evidence: [e.seq, ...(start !== undefined ? [start] : [])],
        });
      }
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.secretsKnown === 0) return unknown('the scan knew no secret to look for (credentials unreadable or too short)', stats);
    if (stats.bytesScanned === 0) return unknown('the bot wrote no output: nothing to judge', stats);
    return {
      valid: true,
      violations: [],
      notes: [`${stats.linesScanned} output lines (${stats.bytesScanned} B) hold none of ${stats.secretsKnown} secrets`],
      stats,
    };
  },
};
