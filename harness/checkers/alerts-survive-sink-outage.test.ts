import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { alertsSurviveSinkOutage, lossCounts } from './alerts-survive-sink-outage.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['alerts'], options: {} };
const check = (h: SyntheticHistory) => runCheck(alertsSurviveSinkOutage, h.events, ctx);
const FILE = '/r/s/bot-1/state/alerts.jsonl';
const json = (text: string) => JSON.stringify({ kind: 'halt', text });

interface Opts {
  /** Alert texts raised inside the outage (3000..7000). */
  alerts?: string[];
  /** Lines the final scan recorded: [file, text]. */
  lines?: [string, string][];
  scan?: boolean;
  matched?: number;
}

/** Alerts file unwritable 3000..7000 on bot-1; a scan of it and of the operator log at 11000. */
function history(o: Opts = {}): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(500).add('harness', 'scenario.ready', {});
  h.at(1000).add('target', 'probe', { probe: 'alert', kind: 'lifecycle', text: 'RUNNING' }, 'bot-1'); // before: not at risk
  h.at(3000).add('fault', 'file.unwritable', { id: 'u1', file: FILE, existed: true, bytes: 10 }, 'bot-1');
  for (const [i, text] of (o.alerts ?? ['halt 1', 'halt 2']).entries())
    h.at(4000 + i * 100).add('target', 'probe', { probe: 'alert', kind: 'halt', text }, 'bot-1');
  h.at(7000).add('fault', 'file.writable', { id: 'u1', file: FILE, existed: true, bytes: 10 }, 'bot-1');
  if (o.scan ?? true) {
    const lines = o.lines ?? [];
    for (const [i, [file, text]] of lines.entries()) h.at(11000).add('fault', 'output.line', { id: 's1', file, line: i + 1, text }, 'bot-1');
    h.at(11000).add(
      'fault',
      'output.scan',
      {
        id: 's1',
        files: [
          { file: 'state/alerts.jsonl', bytes: 100, lines: 3 },
          { file: 'state/ops.log', bytes: 100, lines: 2 },
        ],
        hits: [],
        secretsKnown: [],
        running: true,
        matched: o.matched ?? lines.length,
        maxLines: 200,
      },
      'bot-1',
    );
  }
  h.at(12000).add('harness', 'scenario.window.end', {});
  return h;
}

describe('alerts-survive-sink-outage', () => {
  it('is registered, cites 000#E-L6 and needs alerts', () => {
    expect(checker('alerts-survive-sink-outage')).toBe(alertsSurviveSinkOutage);
    expect(alertsSurviveSinkOutage.findings).toEqual(['000_2ae31cbfe79758d1.txt#E-L6']);
    expect(runCheck(alertsSurviveSinkOutage, history().events, { ...ctx, capabilities: [] }).valid).toBe('unknown');
  });

  it('passes when every alert raised during the outage is in the file afterwards', () => {
    const r = check(
      history({
        lines: [
          ['state/alerts.jsonl', json('RUNNING')],
          ['state/alerts.jsonl', json('halt 1')],
          ['state/alerts.jsonl', json('halt 2')],
        ],
      }),
    );
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ alertsAtRisk: 2, kept: 2, missing: 0 });
  });

  it('passes when the missing ones are named as lost or counted in another file', () => {
    const named = history({
      lines: [
        ['state/alerts.jsonl', json('halt 1')],
        ['state/ops.log', 'WARNING alert lost: halt: halt 2'],
      ],
    });
    expect(check(named).valid).toBe(true);
    const counted = history({ lines: [['state/ops.log', 'WARNING alert file unwritable at stop: 2 alert(s) lost']] });
    expect(check(counted).valid).toBe(true);
    expect(check(counted).stats.reportedLost).toBe(2);
  });

  it('fails when an alert vanished without a word, citing it, the outage and the scan', () => {
    const h = history({ lines: [['state/alerts.jsonl', json('halt 1')]] });
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(
      /raised 2 alert\(s\) while .*alerts.jsonl was unwritable \(t=3.00s..t=7.00s\): 1 never reached it .* first "halt: halt 2" at t=4.10s/,
    );
    const [alert, outage, scan] = r.violations[0]?.evidence ?? [];
    expect(h.events.find((e) => e.seq === alert)?.data.text).toBe('halt 2');
    expect(h.events.find((e) => e.seq === outage)?.type).toBe('file.unwritable');
    expect(h.events.find((e) => e.seq === scan)?.type).toBe('output.scan');
  });

  it('does not take a count too small, a count of written alerts, or a mention in the alert file itself as a report', () => {
    expect(check(history({ lines: [['state/ops.log', 'WARNING 1 alert(s) lost']] })).valid).toBe(false);
    expect(check(history({ lines: [['state/ops.log', 'WARNING alert file writable again: 2 pending alert(s) written, 0 lost']] })).valid).toBe(false);
    expect(check(history({ lines: [['state/alerts.jsonl', 'lost 2 alerts']] })).valid).toBe(false);
  });

  it('answers unknown without an outage, without alerts at risk, without a later scan, or on a truncated scan', () => {
    const none = new SyntheticHistory();
    none.at(500).add('harness', 'scenario.ready', {});
    expect(check(none).notes[0]).toMatch(/no alert file was made unwritable/);
    expect(check(history({ alerts: [] })).notes[0]).toMatch(/raised no alert while/);
    expect(check(history({ scan: false })).notes[0]).toMatch(/no target-output-scan of bot-1 read/);
    expect(check(history({ lines: [['state/alerts.jsonl', json('halt 1')]], matched: 500 })).valid).toBe('unknown');
  });
});

describe('lossCounts', () => {
  it.each([
    ['2 alert(s) lost: halt 1; halt 2', [2]],
    ['dropped 3 events', [3]],
    ['lost: 4', [4]],
    ['3 pending alert(s) written, 0 lost', [0]],
    ['wrote 12 lines, nothing lost', []],
  ])('%s', (line, counts) => {
    expect(lossCounts(line, 'lost|dropped')).toEqual(counts);
  });
});
