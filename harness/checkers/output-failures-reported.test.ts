import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { outputFailuresReported } from './output-failures-reported.ts';
import { checker } from './registry.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: [], options: {} };
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(outputFailuresReported, h.events, { ...ctx, options });

interface Opts {
  /** The scan's fault.start (default 3900, before the close at 4000); undefined: no scan at all. */
  scanAt?: number | undefined;
  lines?: { file: string; text: string }[];
  exit?: { t: number; signal: string | null; code: number | null };
  lastWriteAgoMs?: number | undefined;
  processFaultAt?: number;
}

/** Ready at 500; stderr closed at 4000 on bot-1 (pid 42); a scan of state/ops.log from scanAt; window end at 10000. */
function history(o: Opts = {}): SyntheticHistory {
  const h = new SyntheticHistory();
  h.at(500).add('harness', 'scenario.ready', {});
  const scanAt = 'scanAt' in o ? o.scanAt : 3900;
  if (scanAt !== undefined) h.at(scanAt).add('fault', 'fault.start', { id: 's1', kind: 'target-output-scan', params: {} }, 'bot-1');
  const ago = 'lastWriteAgoMs' in o ? o.lastWriteAgoMs : 150;
  h.at(4000).add('fault', 'fault.start', { id: 'c1', kind: 'output-pipe-close', params: { stream: 'stderr' } }, 'bot-1');
  h.at(4000).add(
    'fault',
    'output.closed',
    { id: 'c1', stream: 'stderr', pid: 42, bytesBefore: 900, ...(ago === undefined ? {} : { lastWriteAgoMs: ago }) },
    'bot-1',
  );
  if (o.processFaultAt !== undefined) h.at(o.processFaultAt).add('fault', 'fault.start', { id: 'k1', kind: 'process-kill', params: {} }, 'bot-1');
  if (o.exit) h.at(o.exit.t).add('target', 'target.exit', { pid: 42, code: o.exit.code, signal: o.exit.signal }, 'bot-1');
  h.at(10000).add('harness', 'scenario.window.end', {});
  if (scanAt !== undefined) {
    for (const [i, l] of (o.lines ?? []).entries()) h.add('fault', 'output.line', { id: 's1', file: l.file, line: i + 1, text: l.text }, 'bot-1');
    h.add(
      'fault',
      'output.scan',
      {
        id: 's1',
        files: [
          { file: 'stderr.log', bytes: 0, lines: 0 },
          { file: 'state/ops.log', bytes: 200, lines: 3 },
        ],
        hits: [],
        secretsKnown: [],
        running: true,
        matched: 0,
        maxLines: 200,
      },
      'bot-1',
    );
  }
  return h;
}

const REPORT = { file: 'state/ops.log', text: 'WARNING terminal log output failed on stderr (BrokenPipeError: [Errno 32] Broken pipe)' };

describe('output-failures-reported', () => {
  it('is registered and cites 000#E-H2', () => {
    expect(checker('output-failures-reported')).toBe(outputFailuresReported);
    expect(outputFailuresReported.findings).toEqual(['000_2ae31cbfe79758d1.txt#E-H2']);
  });

  it('passes when the bot survives and its operator log names the failed stream', () => {
    const r = check(history({ lines: [REPORT] }));
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ closed: 1, judged: 1, reported: 1, exits: 0, scannedLines: 3 });
  });

  it('fails when nothing reports the closed pipe, citing the scan and the close', () => {
    const h = history({ lines: [{ file: 'state/ops.log', text: 'WARNING order rejected -2019' }] });
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(
      /stderr pipe was closed at t=4.00s and nothing said so: no line matching .* in state\/ops.log \(3 line\(s\) since the close\)/,
    );
    const [scan, closed] = r.violations[0]?.evidence ?? [];
    expect(h.events.find((e) => e.seq === scan)?.type).toBe('output.scan');
    expect(h.events.find((e) => e.seq === closed)?.type).toBe('output.closed');
  });

  it('does not count a mention in the closed stream’s own log (it could not have been read)', () => {
    expect(check(history({ lines: [{ file: 'stderr.log', text: REPORT.text }] })).valid).toBe(false);
  });

  it('fails when losing the terminal kills the bot (SIGPIPE), unless a process fault did it', () => {
    const r = check(history({ lines: [REPORT], exit: { t: 4100, signal: 'SIGPIPE', code: null } }));
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(/exited \(code null, signal SIGPIPE\) 100 ms after its stderr pipe was closed/);
    expect(check(history({ lines: [REPORT], processFaultAt: 6000, exit: { t: 6001, signal: 'SIGKILL', code: null } })).valid).toBe(true);
  });

  it('honours a custom mentions pattern', () => {
    expect(check(history({ lines: [{ file: 'state/ops.log', text: 'WARNING journald gone' }] }), { mentions: 'journald' }).valid).toBe(true);
  });

  it('answers unknown without a close, for a stream the bot did not use, or without a scan covering the close', () => {
    const none = new SyntheticHistory();
    none.at(500).add('harness', 'scenario.ready', {});
    expect(check(none).notes[0]).toMatch(/no output pipe was closed/);
    expect(check(history({ lines: [], lastWriteAgoMs: 60_000 })).notes[0]).toMatch(/had not written to stderr within 10000 ms/);
    expect(check(history({ lines: [], lastWriteAgoMs: undefined })).valid).toBe('unknown');
    expect(check(history({ scanAt: undefined })).notes[0]).toMatch(/no target-output-scan of bot-1 covered the close/);
    expect(check(history({ scanAt: 4500, lines: [] })).valid).toBe('unknown'); // the scan began after the close
  });
});
