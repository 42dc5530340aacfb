import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHistory, readHistory } from './reader.ts';
import { HistoryWriter } from './writer.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fl-history-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('history', () => {
  it('writes each event to disk before record() returns, with increasing seq and t', () => {
    const path = join(tmp(), 'h.jsonl');
    const w = new HistoryWriter(path);
    w.setScenario('s1');
    w.record('venue', 'order.new', { orderId: 1 }, 'bot-1');
    // Read the file while the writer is still open: nothing may be buffered in the process.
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    w.setScenario(undefined);
    w.record('harness', 'run.end', {});
    w.close();
    const { events, truncated } = readHistory(path);
    expect(truncated).toBe(false);
    expect(events.map((e) => [e.seq, e.src, e.type, e.scenario, e.instance])).toEqual([
      [0, 'venue', 'order.new', 's1', 'bot-1'],
      [1, 'harness', 'run.end', undefined, undefined],
    ]);
    expect(events[1]?.t).toBeGreaterThanOrEqual(events[0]?.t as number);
  });

  it('tolerates a torn last line (killed writer) and reports it', () => {
    const path = join(tmp(), 'h.jsonl');
    const w = new HistoryWriter(path);
    w.record('harness', 'a', {});
    w.close();
    appendFileSync(path, '{"seq":1,"t":3,"src":"har');
    const r = readHistory(path);
    expect(r.events).toHaveLength(1);
    expect(r.truncated).toBe(true);
  });

  it('refuses a corrupt line in the middle', () => {
    expect(() => parseHistory('{"seq":0}\nnot json\n{"seq":1}\n')).toThrow(/line 2/);
  });

  it('keeps recording when a subscriber throws', () => {
    const w = new HistoryWriter(join(tmp(), 'h.jsonl'));
    w.subscribe(() => {
      throw new Error('bad listener');
    });
    expect(() => w.record('harness', 'x', {})).not.toThrow();
    expect(w.count).toBe(1);
    w.close();
  });
});
