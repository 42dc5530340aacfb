import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readHistory } from '../history/reader.ts';
import type { HistoryEvent } from '../history/types.ts';
import { renderHtml } from './html.ts';
import { writeJsonReport } from './json.ts';
import { writeJunitReport } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { writeIndex } from './run-index.ts';
import type { RunSummary } from './summary.ts';

export interface WrittenReports {
  /** Paths written, in order. */
  written: string[];
  /** Optional reports that failed (HTML, Markdown, index); summary.json and junit.xml never land here. */
  problems: string[];
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/**
 * Writes every report of a run folder: summary.json and junit.xml (must succeed: CI reads them),
 * then report.html, report.md and the reports folder's index.html. A bug in an optional renderer
 * is reported, never allowed to cost the run its verdict files.
 */
export function writeReports(runDir: string, summary: RunSummary, events?: readonly HistoryEvent[]): WrittenReports {
  const problems: string[] = [];
  const attempt = (what: string, fn: () => string): string | undefined => {
    try {
      return fn();
    } catch (err) {
      problems.push(`${what}: ${(err as Error).stack ?? String(err)}`);
      return undefined;
    }
  };
  let evs = events;
  if (!evs) {
    try {
      evs = readHistory(join(runDir, summary.files.history)).events;
    } catch (err) {
      problems.push(`reading history: ${(err as Error).message}`);
      evs = [];
    }
  }
  const allEvents = evs;
  // Render first so summary.files only names files that will exist.
  const planned = { ...summary, files: { ...summary.files, html: 'report.html', markdown: 'report.md' } };
  const html = attempt('report.html', () => renderHtml({ summary: planned, events: allEvents }));
  const md = attempt('report.md', () => renderMarkdown(planned));
  summary.files = { history: summary.files.history, summary: summary.files.summary, junit: summary.files.junit };
  if (html !== undefined) summary.files.html = 'report.html';
  if (md !== undefined) summary.files.markdown = 'report.md';
  const written: string[] = [];
  writeJsonReport(join(runDir, 'summary.json'), summary);
  written.push(join(runDir, 'summary.json'));
  writeJunitReport(join(runDir, 'junit.xml'), summary);
  written.push(join(runDir, 'junit.xml'));
  if (html !== undefined) {
    writeAtomic(join(runDir, 'report.html'), html);
    written.push(join(runDir, 'report.html'));
  }
  if (md !== undefined) {
    writeAtomic(join(runDir, 'report.md'), md);
    written.push(join(runDir, 'report.md'));
  }
  const index = attempt('index.html', () => writeIndex(dirname(runDir)));
  if (index) written.push(index);
  return { written, problems };
}
