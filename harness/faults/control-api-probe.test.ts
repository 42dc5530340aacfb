import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ControlRequestData, listenAddresses, procAddress } from './control-api-probe.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-control-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function control(): TargetControl {
  return { instance: 'bot-1', pid: process.pid, running: true, stateDir: dir, signal: () => {}, restart: async () => {} };
}

describe('control-api-probe', () => {
  const k = faultKind('control-api-probe');

  it('parses its params', () => {
    expect(k.parse({ file: 'refbot-control.json' })).toEqual({ file: 'refbot-control.json', burst: 30, oversizeBytes: 2 * 1024 * 1024 });
    expect(k.parse({ file: 'c.json', burst: 5, oversizeBytes: 100 })).toEqual({ file: 'c.json', burst: 5, oversizeBytes: 100 });
    expect(() => k.parse({ file: '../c.json' })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ file: 'c.json', burst: 0 })).toThrow(/burst/);
    expect(() => k.parse({ file: 'c.json', bursts: 3 })).toThrow(/unknown parameter "bursts"/);
    expect(k.instant).toBe(true);
  });

  it('decodes /proc/net/tcp addresses and finds listening sockets of a port', () => {
    expect(procAddress('0100007F')).toBe('127.0.0.1');
    expect(procAddress('00000000')).toBe('0.0.0.0');
    expect(procAddress('00000000000000000000000001000000')).toBe('::1');
    expect(procAddress('00000000000000000000000000000000')).toBe('::');
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1004 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1',
      '   1: 00000000:1004 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2',
      '   2: 0100007F:1004 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 3',
      '   3: 0100007F:1005 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4',
    ].join('\n');
    expect(listenAddresses([tcp], 0x1004)).toEqual(['127.0.0.1', '0.0.0.0']);
  });

  it('sends the battery to the URL of the control file and records every answer, secrets redacted', async () => {
    const token = 'tok-0123456789abcdef';
    const seen: { method?: string; url?: string; auth?: string; bytes: number }[] = [];
    const server = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, bytes });
        const ok = req.headers.authorization === `Bearer ${token}`;
        res.writeHead(ok ? 500 : 401, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: ok ? `oops ${token}` : 'unauthorized' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(join(dir, 'refbot-control.json'), JSON.stringify({ url: `http://127.0.0.1:${port}`, token }));
    const recorder = memoryRecorder();
    try {
      const active = await k.inject(
        testContext({ recorder, target: () => control() }),
        { instance: 'bot-1', occurrence: 'f2' },
        k.parse({ file: 'refbot-control.json', burst: 3, oversizeBytes: 5000 }),
      );
      await active.heal();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(recorder.events.map((e) => e.type)).toEqual(['control.listen', ...Array<string>(10).fill('control.request'), 'control.battery']);
    expect(recorder.events[0]?.data).toMatchObject({ id: 'f2', port, addresses: ['127.0.0.1'] });
    const reqs = recorder.events.filter((e) => e.type === 'control.request').map((e) => e.data as unknown as ControlRequestData);
    expect(reqs.map((r) => [r.name, r.auth, r.status])).toEqual([
      ['unauthenticated', 'none', 401],
      ['wrong-token', 'wrong', 401],
      ['status', 'valid', 500],
      ['oversize', 'valid', 500],
      ['malformed-json', 'valid', 500],
      ['docs', 'none', 401],
      ['openapi', 'none', 401],
      ['burst', 'valid', 500],
      ['burst', 'valid', 500],
      ['burst', 'valid', 500],
    ]);
    expect(seen.map((s) => [s.method, s.url, s.bytes])).toEqual([
      ['POST', '/halt', 40],
      ['POST', '/halt', 40],
      ['GET', '/status', 0],
      ['POST', '/halt', 5000],
      ['POST', '/halt', 11],
      ['GET', '/docs', 0],
      ['GET', '/openapi.json', 0],
      ['GET', '/status', 0],
      ['GET', '/status', 0],
      ['GET', '/status', 0],
    ]);
    expect(seen[0]?.auth).toBeUndefined();
    expect(seen[1]?.auth).not.toContain(token);
    expect(reqs[2]).toMatchObject({ excerpt: '{"error":"oops <redacted:token>"}', secrets: ['token'], retryAfter: '1' });
    expect(reqs.at(-1)?.n).toBe(3);
    expect(recorder.events.at(-1)?.data).toEqual({ id: 'f2', requests: 10, alive: true });
  });

  it('fails when the control file is missing or points off loopback', async () => {
    const recorder = memoryRecorder();
    const ctx = testContext({ recorder, target: () => control() });
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ file: 'nope.json' }))).rejects.toThrow(/cannot read/);
    writeFileSync(join(dir, 'far.json'), JSON.stringify({ url: 'http://10.1.2.3:80', token: 'x' }));
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ file: 'far.json' }))).rejects.toThrow(/non-loopback/);
    expect(recorder.events).toEqual([]);
  });
});
