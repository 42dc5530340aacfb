import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAnswerData } from './health-probe.ts';
import { faultKind } from './registry.ts';
import { memoryRecorder, testContext } from './testing.ts';
import type { TargetControl } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-health-probe-'));
const seen: { url?: string; auth?: string }[] = [];
/** What the fake bot does with the next requests: answer 200, 503, or hang past the probe's timeout. */
let mode: 'ok' | 'sick' | 'hang' = 'ok';
let server: Server;
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization });
    if (mode === 'hang') return void setTimeout(() => res.writeHead(200).end('{"status":"ok"}'), 300);
    res.writeHead(mode === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(mode === 'ok' ? '{"status":"ok"}' : '{"status":"unhealthy"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  writeFileSync(join(dir, 'ctl.json'), JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'tok-health-0123456789' }));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const control = (): TargetControl => ({ instance: 'bot-1', pid: 0, running: true, stateDir: dir, signal: () => {}, restart: async () => {} });
const k = faultKind('health-probe');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('health-probe', () => {
  it('parses its params with defaults, and rejects bad ones', () => {
    expect(k.parse({ durationMs: 5000, file: 'ctl.json' })).toEqual({
      durationMs: 5000,
      file: 'ctl.json',
      path: '/health',
      intervalMs: 200,
      timeoutMs: 500,
      auth: true,
    });
    expect(k.parse({ durationMs: 1, file: 'c', path: '/healthz', intervalMs: 50, timeoutMs: 100, auth: false })).toMatchObject({
      path: '/healthz',
      auth: false,
    });
    expect(() => k.parse({ file: 'c' })).toThrow(/durationMs/);
    expect(() => k.parse({ durationMs: 1, file: '/etc/x' })).toThrow(/STATE_DIR/);
    expect(() => k.parse({ durationMs: 1, file: 'c', path: 'health' })).toThrow(/start with "\/"/);
    expect(() => k.parse({ durationMs: 1, file: 'c', intervalMs: 1 })).toThrow(/intervalMs/);
    expect(() => k.parse({ durationMs: 1, file: 'c', auth: 'yes' })).toThrow(/auth/);
    expect(() => k.parse({ durationMs: 1, file: 'c', every: 1 })).toThrow(/unknown parameter "every"/);
    expect(k.instant).toBeFalsy();
    expect(k.impairs).toBeUndefined(); // it only observes
  });

  it('asks until healed, with the token, and records each answer; a hung request is status 0', async () => {
    const recorder = memoryRecorder();
    mode = 'ok';
    const active = await k.inject(
      testContext({ recorder, target: () => control() }),
      { instance: 'bot-1', occurrence: 'f3' },
      k.parse({ durationMs: 10_000, file: 'ctl.json', intervalMs: 50, timeoutMs: 150 }),
    );
    await sleep(180);
    mode = 'sick';
    await sleep(180);
    mode = 'hang';
    await sleep(400);
    await active.heal();
    const n = recorder.events.length;
    await sleep(150);
    expect(recorder.events.length).toBe(n); // healed: no more requests
    const answers = recorder.events.map((e) => e.data as unknown as HealthAnswerData);
    expect(recorder.events.every((e) => e.type === 'health.answer' && e.instance === 'bot-1')).toBe(true);
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(503);
    expect(statuses.at(-1)).toBe(0);
    const hung = answers.find((a) => a.status === 0) as HealthAnswerData;
    expect(hung.ms).toBeGreaterThanOrEqual(140);
    expect(hung.error).toBeTruthy();
    expect(answers[0]).toMatchObject({ id: 'f3', path: '/health', body: '{"status":"ok"}' });
    expect(seen.every((s) => s.url === '/health' && s.auth === 'Bearer tok-health-0123456789')).toBe(true);
  });

  it('fails without a readable control file', async () => {
    const ctx = testContext({ recorder: memoryRecorder(), target: () => control() });
    await expect(k.inject(ctx, { instance: 'bot-1', occurrence: 'f1' }, k.parse({ durationMs: 100, file: 'missing.json' }))).rejects.toThrow(
      /health-probe: cannot read/,
    );
  });
});
