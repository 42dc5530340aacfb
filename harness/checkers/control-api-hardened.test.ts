import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import type { ControlRequestData } from '../faults/control-api-probe.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { controlApiHardened } from './control-api-hardened.ts';
import { checker } from './registry.ts';

const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: ['control-api'], options: {} };
const check = (events: HistoryEvent[], c = ctx) => runCheck(controlApiHardened, events, c);

type Answer = Partial<ControlRequestData> & { status: number };

function req(h: SyntheticHistory, t: number, name: string, a: Answer): number {
  const base: ControlRequestData = {
    id: 'f1',
    name,
    method: ['status', 'burst', 'docs', 'openapi'].includes(name) ? 'GET' : 'POST',
    path: { status: '/status', burst: '/status', docs: '/docs', openapi: '/openapi.json' }[name] ?? '/halt',
    auth: name === 'unauthenticated' || name === 'docs' || name === 'openapi' ? 'none' : name === 'wrong-token' ? 'wrong' : 'valid',
    bodyBytes: name === 'oversize' ? 2_097_152 : 10,
    excerpt: '',
    secrets: [],
    ...a,
  };
  return h.at(t).add('fault', 'control.request', base as unknown as Record<string, unknown>, 'bot-1');
}

interface Bot {
  unauth?: Answer;
  oversize?: Answer;
  malformed?: Answer;
  docs?: Answer;
  /** Status of each burst request. */
  burst?: number[];
  listen?: string[];
  alive?: boolean;
}

const HARDENED: Required<Bot> = {
  unauth: { status: 401, excerpt: '{"error": "unauthorized"}' },
  oversize: { status: 413, excerpt: '{"error": "payload too large", "maxBytes": 1048576}' },
  malformed: { status: 400, excerpt: '{"error": "invalid JSON body"}' },
  docs: { status: 401, excerpt: '{"error": "unauthorized"}' },
  burst: [...Array<number>(5).fill(200), ...Array<number>(25).fill(429)],
  listen: ['127.0.0.1'],
  alive: true,
};

function battery(over: Bot = {}): { h: SyntheticHistory; seqs: Record<string, number> } {
  const b = { ...HARDENED, ...over };
  const h = new SyntheticHistory();
  h.at(1000).add('target', 'probe', { probe: 'ready' }, 'bot-1');
  const seqs: Record<string, number> = {};
  seqs.listen = h.at(5000).add('fault', 'control.listen', { id: 'f1', url: 'http://127.0.0.1:4100', port: 4100, addresses: b.listen }, 'bot-1');
  seqs.unauth = req(h, 5001, 'unauthenticated', b.unauth);
  seqs.wrong = req(h, 5002, 'wrong-token', b.unauth);
  seqs.status = req(h, 5003, 'status', { status: 200, excerpt: '{"halted": false}' });
  seqs.oversize = req(h, 5010, 'oversize', b.oversize);
  seqs.malformed = req(h, 5011, 'malformed-json', b.malformed);
  seqs.docs = req(h, 5012, 'docs', b.docs);
  seqs.openapi = req(h, 5013, 'openapi', b.docs);
  b.burst.forEach((status, i) => {
    seqs[`burst${i + 1}`] = req(h, 5020 + i, 'burst', { status, n: i + 1, excerpt: status === 429 ? '{"error": "too many requests"}' : '{}' });
  });
  seqs.battery = h.at(5100).add('fault', 'control.battery', { id: 'f1', requests: 7 + b.burst.length, alive: b.alive }, 'bot-1');
  return { h, seqs };
}

describe('control-api-hardened', () => {
  it('is registered and cites the findings it decides', () => {
    expect(checker('control-api-hardened')).toBe(controlApiHardened);
    expect(controlApiHardened.findings).toEqual([
      '000_2ae31cbfe79758d1.txt#T-H4',
      '000_2ae31cbfe79758d1.txt#T-M5',
      '001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses',
      '000_2ae31cbfe79758d1.txt#X-L2',
      '001_0474a2fd1532b929.txt#M7',
      '000_2ae31cbfe79758d1.txt#T-L9',
      '001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled',
    ]);
  });

  it('fails public interactive docs and schema (swagger-docs-unconditionally-enabled); 404 is as good as 401', () => {
    const { h, seqs } = battery({ docs: { status: 200, excerpt: '<html><title>Swagger UI</title></html>' } });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence[0])).toEqual([seqs.docs, seqs.openapi]);
    expect(r.violations[0]?.message).toMatch(/served GET \/docs .*with 200.*swagger-docs-unconditionally-enabled/);
    const notFound = check(battery({ docs: { status: 404, excerpt: 'Not Found' } }).h.events);
    expect(notFound.valid).toBe(true);
    expect(notFound.stats.docsRefused).toBe(2);
  });

  it('passes a hardened control API and reports what it saw', () => {
    const r = check(battery().h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ requests: 37, refusedUnauthorized: 2, docsRefused: 2, burst: 30, burstServed: 5, burstLimited: 25, listenSockets: 1 });
  });

  it('fails a burst served beyond maxBurst without a 429 (T-H4), evidence the first request over the bound', () => {
    const { h, seqs } = battery({ burst: Array<number>(30).fill(200) });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.message).toContain('#T-H4');
    expect(r.violations[0]?.evidence).toEqual([seqs.burst21, seqs.burst1, seqs.unauth]);
    expect(check(h.events, { ...ctx, options: { maxBurst: 30 } }).valid).toBe(true);
    expect(check(h.events, { ...ctx, options: { maxBurst: 30 } }).notes.join()).toMatch(/not judged/);
  });

  it('fails an oversized body not answered 413 (T-M5), and a bot that died', () => {
    const { h, seqs } = battery({ oversize: { status: 400, excerpt: '{"error": "invalid JSON body"}' }, alive: false });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence[0])).toEqual([seqs.oversize, seqs.battery]);
    expect(r.violations[0]?.message).toContain('not 413');
    const cut = battery({ oversize: { status: 0, error: 'SocketError: other side closed' } });
    expect(check(cut.h.events).violations[0]?.evidence[0]).toBe(cut.seqs.oversize);
  });

  it('fails error answers with internals or secrets (exception-detail-leaks, X-L2)', () => {
    const excerpt =
      '{"error": "JSONDecodeError: Expecting value: line 1 column 12 (char 11)", "traceback": "Traceback (most recent call last):\\n  File \\"/work/refbot/control.py\\", line 170", "context": {"account": "<redacted:api-key>"}}';
    const { h, seqs } = battery({ malformed: { status: 500, excerpt, secrets: ['api-key'] } });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence[0])).toEqual([seqs.malformed, seqs.malformed]);
    expect(r.violations[0]?.message).toContain('api-key');
    expect(r.violations[0]?.message).toContain('#X-L2');
    expect(r.violations[1]?.message).toMatch(/a traceback, a source file path, an exception class name/);
    expect(r.violations[1]?.message).toContain('#exception-detail-leaks-internals-in-500-responses');
    // A 2xx body is not an error answer; a generic 500 is fine.
    expect(check(battery({ malformed: { status: 500, excerpt: '{"error": "internal error"}' } }).h.events).valid).toBe(true);
  });

  it('fails unauthenticated mutations served or taking effect', () => {
    const { h, seqs } = battery({ unauth: { status: 200, excerpt: '{"halted": true}' } });
    const halt = h.at(5050).add('target', 'probe', { probe: 'halt', reason: 'control-api' }, 'bot-1');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([seqs.unauth]);
    expect(r.violations.some((v) => v.evidence[0] === halt && v.evidence[1] === seqs.unauth)).toBe(true);
  });

  it('fails a control port listening beyond loopback (M7)', () => {
    const { h, seqs } = battery({ listen: ['0.0.0.0'] });
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence[0]).toBe(seqs.listen);
    expect(r.violations[0]?.message).toContain('#M7');
    expect(check(battery({ listen: ['127.0.0.1', '::1'] }).h.events).valid).toBe(true);
  });

  it('judges the logging of error answers from an output scan (T-L9)', () => {
    const logged = (lines: string[], scan: Record<string, unknown> = {}) => {
      const { h, seqs } = battery();
      lines.forEach((text, i) => {
        h.at(9000).add('fault', 'output.line', { id: 'f9', file: 'stderr.log', line: i + 1, text }, 'bot-1');
      });
      seqs.scan = h
        .at(9001)
        .add(
          'fault',
          'output.scan',
          { id: 'f9', files: [], secretsKnown: [], hits: [], running: true, grep: ' /(halt|status)', matched: lines.length, maxLines: 200, ...scan },
          'bot-1',
        );
      return { r: check(h.events), seqs };
    };
    const docs = ['control GET /docs -> 401', 'control GET /openapi.json -> 401'];
    const all = ['WARNING control POST /halt -> 401', 'control POST /halt -> 413', 'control POST /halt -> 400', 'control GET /status -> 429', ...docs];
    const ok = logged(all).r;
    expect(ok.valid).toBe(true);
    expect(ok.stats).toMatchObject({ errorKinds: 6, errorKindsLogged: 6 });
    // The 413 not logged (a 200 line or /haltx does not count): one violation on the first such request, then the scan.
    const { r, seqs } = logged(['control POST /halt -> 401', 'control POST /haltx -> 413', 'control POST /halt -> 400', 'control GET /status -> 429', ...docs]);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.message).toMatch(/POST \/halt 413.*#T-L9/);
    expect(r.violations[0]?.evidence).toEqual([seqs.oversize, seqs.scan, seqs.unauth]);
    // Nothing logged at all: every kind flagged, the first being the unauthenticated 401.
    const silent = logged([]).r;
    expect(silent.violations.map((v) => v.evidence[0])).toEqual([seqs.unauth, seqs.oversize, seqs.malformed, seqs.docs, seqs.openapi, seqs.burst6]);
    // Not judged: no scan, a scan without grep, or more matches than recorded.
    expect(check(battery().h.events).notes.join()).toMatch(/logging of error answers not judged/);
    expect(logged([], { grep: undefined }).r.valid).toBe(true);
    expect(logged(all, { matched: 500 }).r.notes.join()).toMatch(/more than the 200/);
  });

  it('is unknown without a battery, with a token that did not work, or without the capability', () => {
    const h = new SyntheticHistory();
    h.at(1000).add('target', 'probe', { probe: 'ready' }, 'bot-1');
    expect(check(h.events).valid).toBe('unknown');
    const noToken = battery().h.events.map((e) =>
      e.type === 'control.request' && (e.data as { name?: string }).name === 'status' ? { ...e, data: { ...e.data, status: 401 } } : e,
    );
    expect(check(noToken).valid).toBe('unknown');
    expect(check(battery().h.events, { ...ctx, capabilities: [] }).valid).toBe('unknown');
  });
});
