import { execFile } from 'node:child_process';
import { fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOLS, startVenue } from './index.ts';
import { ACCOUNTS, collectingRecorder, startTestVenue, TestSocket } from './testing.ts';

describe('startVenue', () => {
  it('refuses a non-loopback host', async () => {
    await expect(startVenue({ recorder: collectingRecorder(), symbols: DEFAULT_SYMBOLS, accounts: ACCOUNTS, host: '0.0.0.0' })).rejects.toThrow(
      /not a loopback address/,
    );
  });

  it('gives each instance its own port and refuses unknown instances', async () => {
    const t = await startTestVenue();
    try {
      expect(t.venue.portFor('bot-1')).not.toBe(t.venue.portFor('bot-2'));
      expect(() => t.venue.portFor('bot-9')).toThrow(/no listener for instance "bot-9"/);
    } finally {
      await t.venue.stop();
    }
  });

  it('stop() closes every socket and listener, records ws.close, and is idempotent', async () => {
    const t = await startTestVenue();
    const a = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-1')}/ws/btcusdt@bookTicker`);
    const b = new TestSocket(`ws://127.0.0.1:${t.venue.portFor('bot-2')}/stream?streams=ethusdt@bookTicker`);
    await Promise.all([a.opened(), b.opened()]);
    const closed = Promise.all([a.closed(), b.closed()]);
    const base = t.base('bot-1');
    await Promise.all([t.venue.stop(), t.venue.stop()]);
    await closed;
    expect(t.recorder.of('ws.close').map((e) => e.data.kind)).toEqual(['market', 'market']);
    await expect(fetch(`${base}/fapi/v1/ping`)).rejects.toThrow();
    await t.venue.stop();
  });

  it('leaves no handle behind: a process that stops the venue exits by itself', async () => {
    // Runs in a child Node so that a leaked timer or socket shows up as a hang, not a pass.
    const script = `
      const { startVenue, DEFAULT_SYMBOLS } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      const recorder = { record: (src, type, data) => ({ seq: 0, t: 0, src, type, data }), now: () => 0 };
      const venue = await startVenue({ recorder, symbols: DEFAULT_SYMBOLS, accounts: [{ instance: 'a', apiKey: 'k1', apiSecret: 's', balanceUsdt: 1 }] });
      const ws = new WebSocket('ws://127.0.0.1:' + venue.portFor('a') + '/ws/btcusdt@bookTicker');
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      await fetch('http://127.0.0.1:' + venue.portFor('a') + '/fapi/v1/ping');
      await venue.stop();
      console.log('stopped');
    `;
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.stdout.trim()).toBe('stopped');
    expect(out.code).toBe(0);
  });
});
