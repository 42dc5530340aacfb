import type { ControlListenData, ControlRequestData } from '../faults/control-api-probe.ts';
import type { OutputLineData, OutputScanData } from '../faults/target-output-scan.ts';
import type { HistoryEvent } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const RATE_LIMIT = '000_2ae31cbfe79758d1.txt#T-H4';
const BODY_LIMIT = '000_2ae31cbfe79758d1.txt#T-M5';
const ADDRESS_LEAK = '000_2ae31cbfe79758d1.txt#X-L2';
const EXCEPTION_LEAK = '001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses';
const BIND_ALL = '001_0474a2fd1532b929.txt#M7';
const ERRORS_LOGGED = '000_2ae31cbfe79758d1.txt#T-L9';
const PUBLIC_DOCS = '001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled';

/** Battery requests for interactive API docs and schemas (control-api-probe `docs`, `openapi`). */
const DOCS_REQUESTS = new Set(['docs', 'openapi']);

/** Internals an error answer must not show: a traceback, a source path, an exception class name. */
const INTERNALS: readonly [string, RegExp][] = [
  ['a traceback', /Traceback \(most recent call last\)|^\s+at .+:\d+:\d+\)?$|File "[^"]+", line \d+/m],
  ['a source file path', /(?:^|[\s"'(])\/(?:[\w.-]+\/)+[\w.-]+\.(?:py|ts|js|mjs|go|rs|java|rb)\b/],
  ['an exception class name', /\b[A-Z][A-Za-z0-9]*(?:Error|Exception)\b/],
];

function isLoopback(addr: string): boolean {
  return addr.startsWith('127.') || addr === '::1' || addr.toLowerCase().startsWith('::ffff:7f');
}

interface Req {
  e: HistoryEvent;
  d: ControlRequestData;
}

/**
 * The bot's control API refuses what it must refuse, judged from the answers to the
 * `control-api-probe` battery (`fault control.request`, `control.listen`, `control.battery`):
 * - unauthenticated / wrong-token POST /halt answered 401 or 403, with no halt probe of the instance
 *   within reactMs after it (the baseline of the family; no catalog finding of its own);
 * - the authorised oversized POST answered 413, and the process alive after the battery
 *   (000_2ae31cbfe79758d1.txt#T-M5);
 * - in the burst of authorised requests at most maxBurst are served (2xx) before a 429
 *   (000_2ae31cbfe79758d1.txt#T-H4); a burst of maxBurst requests or fewer cannot show this;
 * - no 4xx/5xx answer shows a traceback, a source path or an exception class name
 *   (001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses), nor a secret the
 *   harness gave the bot: token, API key or secret (000_2ae31cbfe79758d1.txt#X-L2, the account
 *   identifier in error answers);
 * - every socket listening on the control port is on loopback (001_0474a2fd1532b929.txt#M7);
 * - the interactive API docs and schema (unauthenticated GET /docs, GET /openapi.json) are not
 *   served: any answer but 2xx is fine (001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled:
 *   Swagger /docs enabled in every mode, a map of the API for anyone who reaches the port);
 * - every kind of 4xx/5xx answer (method, path, status) left a line in the bot's output naming
 *   all three, judged from a `fault output.scan` with a grep (fault target-output-scan) and its
 *   `fault output.line` matches (000_2ae31cbfe79758d1.txt#T-L9: the monitor's log_message was
 *   silenced, so refused requests left no trace); not judged without such a scan, or when more
 *   lines matched than the scan recorded.
 * Evidence: the offending request (or listen event) first, then the battery's first request.
 *
 * Unknown when no battery was sent (no control.request), or the token did not work (the status
 * request was not answered 2xx): then refusals prove nothing.
 *
 * Options: maxBurst (default 20), reactMs (default 1000).
 */
export const controlApiHardened: Checker = {
  name: 'control-api-hardened',
  description: 'The control API refuses unauthenticated, oversized and flooding requests, leaks no internals in errors, and listens on loopback only',
  findings: [RATE_LIMIT, BODY_LIMIT, EXCEPTION_LEAK, ADDRESS_LEAK, BIND_ALL, ERRORS_LOGGED, PUBLIC_DOCS],
  requires: ['control-api'],
  check(history, ctx): CheckResult {
    return judge(history, ctx.options);
  },
};

function judge(history: readonly HistoryEvent[], options: Record<string, unknown>): CheckResult {
  const maxBurst = numberOption(options, 'maxBurst', 20);
  const reactMs = numberOption(options, 'reactMs', 1000);
  const stats = {
    requests: 0,
    refusedUnauthorized: 0,
    docsRefused: 0,
    burst: 0,
    burstServed: 0,
    burstLimited: 0,
    errorAnswers: 0,
    listenSockets: 0,
    errorKinds: 0,
    errorKindsLogged: 0,
  };
  const reqs: Req[] = [];
  const listens: { e: HistoryEvent; d: ControlListenData }[] = [];
  const batteries: HistoryEvent[] = [];
  const haltProbes: HistoryEvent[] = [];
  const scans: { e: HistoryEvent; d: OutputScanData }[] = [];
  const outLines: { e: HistoryEvent; d: OutputLineData }[] = [];
  for (const e of history) {
    if (e.src === 'fault' && e.type === 'control.request') reqs.push({ e, d: e.data as unknown as ControlRequestData });
    else if (e.src === 'fault' && e.type === 'control.listen') listens.push({ e, d: e.data as unknown as ControlListenData });
    else if (e.src === 'fault' && e.type === 'control.battery') batteries.push(e);
    else if (e.src === 'target' && e.type === 'probe' && (e.data as { probe?: unknown }).probe === 'halt') haltProbes.push(e);
    else if (e.src === 'fault' && e.type === 'output.scan') scans.push({ e, d: e.data as unknown as OutputScanData });
    else if (e.src === 'fault' && e.type === 'output.line') outLines.push({ e, d: e.data as unknown as OutputLineData });
  }
  stats.requests = reqs.length;
  if (reqs.length === 0) return unknown('no control API battery was sent (no fault control.request): nothing to judge', stats);
  const ok = (s: number) => s >= 200 && s < 300;
  if (!reqs.some((r) => r.d.auth === 'valid' && r.d.name === 'status' && ok(r.d.status)))
    return unknown('the authorised GET /status was not answered 2xx: the token did not work, so refusals prove nothing', stats);

  const violations: Violation[] = [];
  const first = reqs[0]?.e.seq ?? 0;
  const flag = (e: HistoryEvent, message: string, more: number[] = []) =>
    violations.push({
      t: e.t,
      ...(e.instance !== undefined ? { instance: e.instance } : {}),
      message,
      evidence: [e.seq, ...more, ...(e.seq === first ? [] : [first])],
    });
  const what = (d: ControlRequestData) => `${d.method} ${d.path} (${d.name}, auth ${d.auth}, ${d.bodyBytes} B)`;

  for (const { e, d } of reqs) {
    // 001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled: no docs for anyone who asks.
    if (DOCS_REQUESTS.has(d.name)) {
      if (ok(d.status)) flag(e, `control API served ${what(d)} with ${d.status}: its interactive docs / schema are public [${PUBLIC_DOCS}]`);
      else stats.docsRefused++;
    }
    // Baseline: a mutation without a valid token is refused and has no effect.
    else if (d.auth !== 'valid') {
      if (d.status === 401 || d.status === 403) stats.refusedUnauthorized++;
      else if (ok(d.status)) flag(e, `control API served ${what(d)} with ${d.status}: a mutating endpoint without a valid token`);
      const halt = haltProbes.find((h) => h.instance === e.instance && h.t >= e.t && h.t <= e.t + reactMs);
      if (halt && d.method !== 'GET')
        flag(halt, `instance halted ${Math.round(halt.t - e.t)} ms after ${what(d)}: an unauthenticated request took effect`, [e.seq]);
    }
    // 000_2ae31cbfe79758d1.txt#T-M5: an oversized body is refused with 413.
    if (d.name === 'oversize' && d.status !== 413)
      flag(e, `control API answered ${d.status || d.error || 'nothing'} to ${what(d)}, not 413 Payload Too Large [${BODY_LIMIT}]`);
    // 001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses and
    // 000_2ae31cbfe79758d1.txt#X-L2: error answers are generic and carry no secret/account id.
    if (d.status >= 400) {
      stats.errorAnswers++;
      if (d.secrets.length > 0) flag(e, `control API's ${d.status} answer to ${what(d)} contains the bot's ${d.secrets.join(', ')} [${ADDRESS_LEAK}]`);
      const leaked = INTERNALS.filter(([, re]) => re.test(d.excerpt)).map(([name]) => name);
      if (leaked.length > 0)
        flag(e, `control API's ${d.status} answer to ${what(d)} shows ${leaked.join(', ')}: ${JSON.stringify(d.excerpt.slice(0, 160))} [${EXCEPTION_LEAK}]`);
    }
  }

  // 000_2ae31cbfe79758d1.txt#T-H4: a burst is rate-limited (429) after at most maxBurst answers.
  const burst = reqs.filter((r) => r.d.name === 'burst');
  stats.burst = burst.length;
  stats.burstServed = burst.filter((r) => ok(r.d.status)).length;
  stats.burstLimited = burst.filter((r) => r.d.status === 429).length;
  let served = 0;
  for (const r of burst) {
    if (r.d.status === 429) break;
    if (ok(r.d.status)) served++;
    if (served > maxBurst) {
      flag(
        r.e,
        `control API served ${served} back-to-back requests of a burst of ${burst.length} without a 429 (bound ${maxBurst}) [${RATE_LIMIT}]`,
        burst[0] ? [burst[0].e.seq] : [],
      );
      break;
    }
  }
  const notes: string[] = [];
  if (burst.length <= maxBurst) notes.push(`burst of ${burst.length} requests is not above maxBurst ${maxBurst}: rate limiting not judged`);

  for (const b of batteries)
    if ((b.data as { alive?: unknown }).alive === false) flag(b, `the bot was not running after the control API battery (oversized body ${BODY_LIMIT})`);

  // 001_0474a2fd1532b929.txt#M7: the control port listens on loopback only.
  for (const { e, d } of listens) {
    stats.listenSockets += d.addresses.length;
    const open = d.addresses.filter((a) => !isLoopback(a));
    if (open.length > 0) flag(e, `control API port ${d.port} listens on ${open.join(', ')}, not loopback only [${BIND_ALL}]`);
  }
  if (listens.length === 0 || stats.listenSockets === 0) notes.push('no listening socket of the control port was seen: bind address not judged');

  // 000_2ae31cbfe79758d1.txt#T-L9: each kind of error answer is logged (method, path and status in one line).
  const scan = scans.find((s) => s.d.grep !== undefined);
  if (!scan) notes.push('no output scan with a grep (fault target-output-scan): logging of error answers not judged');
  else if (scan.d.matched > scan.d.maxLines)
    notes.push(`output scan matched ${scan.d.matched} lines, more than the ${scan.d.maxLines} it recorded: logging not judged`);
  else {
    const texts = outLines.filter((l) => l.d.id === scan.d.id && l.e.instance === scan.e.instance).map((l) => l.d.text);
    const kinds = new Map<string, Req>();
    for (const r of reqs) {
      if (r.d.status < 400 || r.e.t > scan.e.t || r.e.instance !== scan.e.instance) continue;
      const k = `${r.d.method} ${r.d.path} ${r.d.status}`;
      if (!kinds.has(k)) kinds.set(k, r);
    }
    stats.errorKinds = kinds.size;
    for (const [k, r] of kinds) {
      const status = new RegExp(`\\b${r.d.status}\\b`);
      const path = new RegExp(`${r.d.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/])`);
      if (texts.some((t) => t.includes(r.d.method) && path.test(t) && status.test(t))) stats.errorKindsLogged++;
      else flag(r.e, `control API answered ${k} and the bot's output has no line naming it (its 4xx/5xx are not logged) [${ERRORS_LOGGED}]`, [scan.e.seq]);
    }
  }

  notes.push(
    `${reqs.length} control requests, ${stats.refusedUnauthorized} refused as unauthorised, burst ${stats.burstServed} served / ${stats.burstLimited} limited`,
  );
  return { valid: violations.length === 0, violations, notes, stats };
}
