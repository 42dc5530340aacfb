import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A bot's control API as its control file describes it. */
export interface ControlEndpoint {
  url: URL;
  token: string;
}

/**
 * Reads the control file a bot writes in its STATE_DIR (JSON {"url": "http://127.0.0.1:<port>",
 * "token": "..."}). Throws, naming the fault kind and the file, when it is missing, unreadable,
 * lacks url or token, or points anywhere but loopback: faults talk to nothing else.
 */
export function readControlFile(kind: string, stateDir: string, file: string): ControlEndpoint {
  const path = join(stateDir, file);
  let info: { url?: unknown; token?: unknown };
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as { url?: unknown; token?: unknown };
  } catch (err) {
    throw new Error(`${kind}: cannot read ${path}: ${(err as Error).message}`);
  }
  if (typeof info.url !== 'string' || typeof info.token !== 'string') throw new Error(`${kind}: ${path} lacks url/token`);
  const url = new URL(info.url);
  if (!LOOPBACK_HOSTS.has(url.hostname)) throw new Error(`${kind}: refusing to send to non-loopback ${info.url}`);
  return { url, token: info.token };
}
