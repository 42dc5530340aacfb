import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import { readControlFile } from './control-file.ts';
import { onlyKeys, stateFileParam } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ControlApiProbeParams {
  /** The bot's control file in its STATE_DIR: JSON {"url": "http://127.0.0.1:<port>", "token": "..."}. */
  file: string;
  /** Authorised GET /status requests sent back to back after the other requests. */
  burst: number;
  /** Size of the oversized (authorised, not JSON) POST /halt body. */
  oversizeBytes: number;
}

/** Which credential a request carried. */
export type ControlAuth = 'none' | 'wrong' | 'valid';

/** `fault control.request`: one request of the battery and what came back. */
export interface ControlRequestData {
  id: string;
  /** unauthenticated | wrong-token | status | oversize | malformed-json | docs | openapi | burst */
  name: string;
  method: string;
  path: string;
  auth: ControlAuth;
  bodyBytes: number;
  /** 0 when no answer came (connection error, timeout: see error). */
  status: number;
  /** The answer's body, first EXCERPT_CHARS characters, secrets replaced by <redacted:name>. */
  excerpt: string;
  /** Secrets the harness knows (token, api-key, api-secret) found anywhere in the full answer. */
  secrets: string[];
  retryAfter?: string;
  error?: string;
  /** Position within the burst (1-based), burst requests only. */
  n?: number;
}

/** `fault control.listen`: listening TCP sockets of the control URL's port (/proc/net/tcp, tcp6). */
export interface ControlListenData {
  id: string;
  url: string;
  port: number;
  addresses: string[];
}

const EXCERPT_CHARS = 2000;
const TIMEOUT_MS = 3000;

/** Hex address of /proc/net/tcp(6) (little-endian 32-bit words) to text. */
export function procAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/.{2}/g) ?? []).reverse().map((b) => Number.parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Local addresses of LISTEN sockets on a port, from /proc/net/tcp and tcp6 texts. */
export function listenAddresses(tables: readonly string[], port: number): string[] {
  const out: string[] = [];
  for (const table of tables) {
    for (const line of table.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue;
      const [addr, p] = (cols[1] ?? '').split(':');
      if (addr !== undefined && p !== undefined && Number.parseInt(p, 16) === port) out.push(procAddress(addr));
    }
  }
  return out;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The secrets the bot was given (its VENUE_API_KEY/SECRET), read from /proc/<pid>/environ when readable. */
function processSecrets(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of readText(`/proc/${pid}/environ`).split('\0')) {
    if (kv.startsWith('VENUE_API_KEY=')) out['api-key'] = kv.slice('VENUE_API_KEY='.length);
    if (kv.startsWith('VENUE_API_SECRET=')) out['api-secret'] = kv.slice('VENUE_API_SECRET='.length);
  }
  return out;
}

function intParam(raw: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new ConfigError(`fault control-api-probe: ${key} must be an integer ${min}..${max}`);
  return v;
}

/**
 * Sends a fixed battery of requests to the bot's control API and records each request and answer
 * as `fault control.request` (ControlRequestData), after `fault control.listen` (the sockets
 * listening on its port), and finally `fault control.battery` ({id, requests, alive}). The URL and
 * token come from the control file the bot writes in its STATE_DIR; only loopback URLs are used.
 * The battery, in order: POST /halt without credentials, POST /halt with a wrong token, GET /status
 * with the token (the token works), an authorised POST /halt of oversizeBytes (not JSON), an
 * authorised POST /halt with a malformed JSON body, then `burst` authorised GET /status back to
 * back. No request is an authorised, valid halt. Check control-api-hardened judges the answers.
 * Fails (fault.error) when the control file is missing or unreadable: the fault would not take effect.
 */
export const controlApiProbe: FaultKind<ControlApiProbeParams> = {
  name: 'control-api-probe',
  description: 'Send a battery of hostile requests to the bot’s control API (no/wrong token, oversized and malformed bodies, a burst) and record the answers',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('control-api-probe', raw, ['file', 'burst', 'oversizeBytes']);
    return {
      file: stateFileParam('control-api-probe', raw, 'file'),
      burst: intParam(raw, 'burst', 30, 1, 500),
      oversizeBytes: intParam(raw, 'oversizeBytes', 2 * 1024 * 1024, 1, 64 * 1024 * 1024),
    };
  },
  async inject(ctx, target, params) {
    const control = ctx.target(target.instance);
    const endpoint = readControlFile('control-api-probe', control.stateDir, params.file);
    const url = endpoint.url;
    const token = endpoint.token;
    const port = Number(url.port);
    const listen: ControlListenData = {
      id: target.occurrence,
      url: endpoint.url.origin,
      port,
      addresses: listenAddresses([readText('/proc/net/tcp'), readText('/proc/net/tcp6')], port),
    };
    ctx.recorder.record('fault', 'control.listen', listen as unknown as Record<string, unknown>, target.instance);

    const secrets: Record<string, string> = { token, ...processSecrets(control.pid) };
    const send = async (name: string, method: string, p: string, auth: ControlAuth, body?: string, n?: number): Promise<void> => {
      const headers: Record<string, string> = {};
      if (auth !== 'none') headers.authorization = `Bearer ${auth === 'valid' ? token : `wrong-${token.slice(0, 4)}-faultline`}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const data: ControlRequestData = {
        id: target.occurrence,
        name,
        method,
        path: p,
        auth,
        bodyBytes: body === undefined ? 0 : Buffer.byteLength(body),
        status: 0,
        excerpt: '',
        secrets: [],
        ...(n !== undefined ? { n } : {}),
      };
      try {
        const res = await fetch(new URL(p, url), { method, headers, body, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]) });
        const text = await res.text();
        data.status = res.status;
        let excerpt = text.slice(0, EXCERPT_CHARS);
        for (const [k, v] of Object.entries(secrets)) {
          if (v.length < 4) continue;
          if (text.includes(v)) data.secrets.push(k);
          excerpt = excerpt.split(v).join(`<redacted:${k}>`);
        }
        data.excerpt = excerpt;
        const retryAfter = res.headers.get('retry-after');
        if (retryAfter !== null) data.retryAfter = retryAfter;
      } catch (err) {
        data.error = String((err as Error).cause ?? (err as Error).message);
      }
      ctx.recorder.record('fault', 'control.request', data as unknown as Record<string, unknown>, target.instance);
    };

    const reason = JSON.stringify({ reason: 'faultline control-api-probe' });
    await send('unauthenticated', 'POST', '/halt', 'none', reason);
    await send('wrong-token', 'POST', '/halt', 'wrong', reason);
    await send('status', 'GET', '/status', 'valid');
    await send('oversize', 'POST', '/halt', 'valid', 'x'.repeat(params.oversizeBytes));
    await send('malformed-json', 'POST', '/halt', 'valid', '{"reason": ');
    // Interactive docs and the API schema, asked for without a token (FastAPI's and most frameworks' default paths).
    await send('docs', 'GET', '/docs', 'none');
    await send('openapi', 'GET', '/openapi.json', 'none');
    for (let i = 1; i <= params.burst; i++) await send('burst', 'GET', '/status', 'valid', undefined, i);
    ctx.recorder.record('fault', 'control.battery', { id: target.occurrence, requests: 7 + params.burst, alive: control.running }, target.instance);
    return { heal: async () => {} };
  },
};
