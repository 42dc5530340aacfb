import { readFileSync } from 'node:fs';
import type { HistoryEvent } from './types.ts';

export interface ReadHistory {
  events: HistoryEvent[];
  /** True when the last line was cut short (the writer was killed mid-line); that line is dropped. */
  truncated: boolean;
}

/** Parses a JSONL history. A torn final line (killed writer) is tolerated; a torn middle line is not. */
export function parseHistory(text: string): ReadHistory {
  const lines = text.split('\n');
  const events: HistoryEvent[] = [];
  let truncated = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line === '') continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch (err) {
      const isLast = lines.slice(i + 1).every((l) => l === '');
      if (isLast && !text.endsWith('\n')) {
        truncated = true;
        continue;
      }
      throw new Error(`history line ${i + 1} is not valid JSON: ${(err as Error).message}`);
    }
  }
  return { events, truncated };
}

export function readHistory(path: string): ReadHistory {
  return parseHistory(readFileSync(path, 'utf8'));
}

/** The events of one scenario, in order. */
export function scenarioEvents(events: readonly HistoryEvent[], scenarioId: string): HistoryEvent[] {
  return events.filter((e) => e.scenario === scenarioId);
}
