import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { devCredentials, parseVenueArgs } from './venue-command.ts';

describe('parseVenueArgs', () => {
  it('defaults, and refuses bad flags with ConfigError', () => {
    expect(parseVenueArgs([])).toEqual({ port: 0, seed: 1, symbols: ['BTCUSDT', 'ETHUSDT'], historyMinutes: 1440, json: false });
    expect(parseVenueArgs(['--port', '9123', '--seed', '7', '--symbols', 'ethusdt', '--history-minutes', '0', '--json'])).toEqual({
      port: 9123,
      seed: 7,
      symbols: ['ETHUSDT'],
      historyMinutes: 0,
      json: true,
    });
    for (const bad of [
      ['--history-minutes', '20000'],
      ['--history-minutes', '1.5'],
      ['--port', 'x'],
      ['--port', '70000'],
      ['--seed', '-1'],
      ['--symbols', 'DOGEUSDT'],
      ['--symbols', ','],
      ['--nope'],
      ['extra'],
    ]) {
      expect(() => parseVenueArgs(bad)).toThrow(ConfigError);
    }
    expect(devCredentials(7)).toEqual(devCredentials(7));
    expect(devCredentials(7).apiKey).toMatch(/^[0-9a-f]{64}$/);
  });
});

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('faultline venue (standalone)', () => {
  it('prints one JSON line, serves REST and moving prices, and exits 0 on SIGTERM', async () => {
    const script = `import(${JSON.stringify(new URL('./venue-command.ts', import.meta.url).href)}).then((m) => m.venueCommand(process.argv.slice(1))).then((code) => process.exit(code), (e) => { console.error(e); process.exit(3); });`;
    child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', '--json', '--seed', '42'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child?.stdout as NodeJS.ReadableStream });
      rl.once('line', resolve);
      setTimeout(() => reject(new Error('no JSON line within 10 s')), 10_000).unref();
    });
    const info = JSON.parse(line);
    expect(Object.keys(info).sort()).toEqual(['apiKey', 'apiSecret', 'restUrl', 'wsUrl']);
    expect(info).toMatchObject({ ...devCredentials(42), restUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(info.wsUrl).toBe(info.restUrl.replace('http:', 'ws:'));
    const time = (await (await fetch(`${info.restUrl}/fapi/v1/time`)).json()) as { serverTime: number };
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(2000);
    const book = (await (await fetch(`${info.restUrl}/fapi/v1/ticker/bookTicker?symbol=BTCUSDT`)).json()) as { bidPrice: string };
    expect(Number(book.bidPrice)).toBeGreaterThan(50_000);
    // A day of klines before the run by default: a page from 24 hours ago comes back full.
    const dayAgo = Date.now() - 86_400_000 + 120_000;
    const page = (await (await fetch(`${info.restUrl}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&startTime=${dayAgo}&limit=100`)).json()) as unknown[][];
    expect(page).toHaveLength(100);
    expect(Number(page[0]?.[4])).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${info.restUrl}/fapi/v1/time`)).rejects.toThrow();
  });
});
