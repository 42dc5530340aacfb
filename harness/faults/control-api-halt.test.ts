import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-control-halt-'));
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
let server: Server;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => {
      body += String(c);
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"halted":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const control = (): TargetControl => ({ instance: 'bot-1', pid: 0, running: true, stateDir: dir, signal: () => {}, restart: async () => {} });
const k = faultKind('control-api-halt');

describe('control-api-halt', () => {
  it('parses its params', () => {
    expect(k.parse({ file: 'refbot-control.json' })).toEqual({ file: 'refbot-control.json', reason: 'faultline operator halt' });
    expect(() => k.parse({ file: '../x' })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ file: 'c.json', reason: 1 })).toThrow(/reason/);
    expect(() => k.parse({ file: 'c.json', why: 'x' })).toThrow(/unknown parameter "why"/);
    expect(k.instant).toBe(true);
  });

  it('sends one authorised POST /halt with the reason and records the answer', async () => {
    const port = (server.address() as AddressInfo).port;
    writeFileSync(join(dir, 'refbot-control.json'), JSON.stringify({ url: `http://127.0.0.1:${port}`, token: 'tok-1234567890abcdef' }));
    const recorder = memoryRecorder();
    await k.inject(
      testContext({ recorder, target: () => control() }),
      { instance: 'bot-1', occurrence: 'f2' },
      k.parse({ file: 'refbot-control.json', reason: 'stop now' }),
    );
    expect(seen).toEqual([{ method: 'POST', url: '/halt', auth: 'Bearer tok-1234567890abcdef', body: '{"reason":"stop now"}' }]);
    expect(recorder.events.map((e) => [e.type, e.data, e.instance])).toEqual([['control.halt', { id: 'f2', status: 200, body: '{"halted":true}' }, 'bot-1']]);
  });

  it('fails without a readable control file, and refuses a non-loopback URL', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, target: () => control() });
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ file: 'missing.json' }))).rejects.toThrow(/cannot read/);
    writeFileSync(join(dir, 'far.json'), JSON.stringify({ url: 'http://10.1.2.3:80', token: 't' }));
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ file: 'far.json' }))).rejects.toThrow(/non-loopback/);
    expect(recorder.events).toEqual([]);
  });
});
