import { describe, expect, it } from 'vitest';
import { SyntheticHistory } from '../history/synthetic.ts';
import { failuresLogged } from './failures-logged.ts';
import { checker } from './registry.ts';
import type { CheckContext } from './types.ts';

const ctx = { capabilities: [], options: {} } as unknown as CheckContext;
const BALANCE = { method: 'GET', path: '/fapi/v2/balance', status: 400, code: -1000, msg: 'x', durationMs: 3000 };

interface Opts {
  /** Lines the scan matched. */
  matched?: number;
  /** The bot's requests to the endpoint while it failed. */
  calls?: number;
  /** The scan's window starts this long after the failure's first request (0 = before it). */
  scanLateMs?: number;
  /** Omit the scan's grep/window. */
  plainScan?: boolean;
  /** No failure fault at all. */
  noFailure?: boolean;
}

function history(o: Opts = {}) {
  const h = new SyntheticHistory();
  const scanStart = h.at(o.scanLateMs ? 3500 + o.scanLateMs : 2900).add('fault', 'fault.start', { id: 's1', kind: 'target-output-scan', params: {} }, 'bot-1');
  const fail = o.noFailure ? -1 : h.at(3000).add('fault', 'fault.start', { id: 'r1', kind: 'rest-error', params: BALANCE }, 'bot-1');
  h.at(3200).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 200 }, 'bot-1'); // answered: not a failure
  h.at(3300).add('venue', 'http.request', { method: 'GET', path: '/fapi/v1/income', status: 400 }, 'bot-1'); // another endpoint
  h.at(3400).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 400 }, 'bot-2'); // another bot
  const reqs: number[] = [];
  for (let i = 0; i < (o.calls ?? 2); i++)
    reqs.push(h.at(3500 + i * 1000).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 400, code: -1000 }, 'bot-1'));
  if (!o.noFailure) h.at(6000).add('fault', 'fault.end', { id: 'r1' }, 'bot-1');
  h.at(6100).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 400 }, 'bot-1'); // after the fault
  const scan = h.at(7900).add(
    'fault',
    'output.scan',
    {
      id: 's1',
      files: [],
      secretsKnown: [],
      hits: [],
      running: true,
      matched: o.matched ?? 0,
      maxLines: 200,
      ...(o.plainScan ? {} : { grep: 'fapi/v2/balance', windowMs: 5000 }),
    },
    'bot-1',
  );
  return { h, scanStart, fail, reqs, scan };
}

describe('failures-logged', () => {
  it('is registered and cites the swallowed margin-ratio failure', () => {
    expect(checker('failures-logged')).toBe(failuresLogged);
    expect(failuresLogged.findings).toEqual(['001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently']);
  });

  it('passes when the bot logged the failure it ran into', () => {
    const r = failuresLogged.check(history({ matched: 1 }).h.events, ctx);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ failures: 1, failedRequests: 2, exercised: 1, scans: 1, matchedLines: 1, silent: 0 });
  });

  it('fails with evidence when the bot ran into the failure and logged nothing matching', () => {
    const { h, scanStart, fail, reqs, scan } = history({ matched: 0, calls: 3 });
    const r = failuresLogged.check(h.events, ctx);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([reqs[0], scan, fail, scanStart]);
    expect(r.violations[0]?.message).toMatch(
      /bot-1 ran into 3 failed GET \/fapi\/v2\/balance answer\(s\) \(HTTP 400\).*\/fapi\\?\/v2\\?\/balance\/.*swallowed silently/,
    );
  });

  it('is unknown without a failure, when the bot never called the endpoint while it failed, or without a covering windowed scan', () => {
    expect(failuresLogged.check(history({ noFailure: true }).h.events, ctx).valid).toBe('unknown');
    const notCalled = failuresLogged.check(history({ calls: 0 }).h.events, ctx);
    expect(notCalled.valid).toBe('unknown');
    expect(notCalled.notes[0]).toMatch(/not exercised/);
    expect(failuresLogged.check(history({ plainScan: true }).h.events, ctx).valid).toBe('unknown');
    const late = failuresLogged.check(history({ scanLateMs: 500 }).h.events, ctx);
    expect(late.valid).toBe('unknown');
    expect(late.notes[0]).toMatch(/covered the failure/);
  });
});
